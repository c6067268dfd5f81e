"""Every endpoint of the public API, version 1, in one list (see shared/API.md)."""

from django.urls import path

from assessments import api as assessment_api
from candidates.api import export as candidate_export_api
from candidates.api import profile as candidate_api
from candidates.digital import api as digital_api
from candidates.matches import api as match_api
from college.core import api as auth_api
from college.guidance.urls import caseload as caseload_urls
from college.guidance.urls import paths as path_urls
from college.insights import api as observatory_api
from college.intake import urls as intake_urls
from college.reference import api as college_api
from college.training.urls import catalogue as catalogue_urls
from college.training.urls import certificates as certificate_urls
from college.training.urls import enrolment as enrolment_urls
from employers import api as employer_api
from employers.shortlists import api as employer_shortlist_api

urlpatterns = [
    path("auth/token/", auth_api.TokenObtainApi.as_view(), name="token"),
    path("skills/", college_api.SkillListApi.as_view(), name="skills"),
    path("skills/<id:pk>/", college_api.SkillDetailApi.as_view(), name="skill"),
    path("roles/", college_api.RoleListApi.as_view(), name="roles"),
    path("roles/<id:pk>/", college_api.RoleDetailApi.as_view(), name="role"),
    path("communes/", college_api.CommuneListApi.as_view(), name="communes"),
    path("languages/", college_api.LanguageListApi.as_view(), name="languages"),
    path("me/profile/", candidate_api.CandidateProfileApi.as_view(), name="me_profile"),
    path("me/export/", candidate_export_api.CandidateExportApi.as_view(), name="me_export"),
    # The digital and cyber track: DigComp self-assessment and external certifications.
    path(
        "me/digital-self-assessment/",
        digital_api.SelfAssessmentApi.as_view(),
        name="me_digital_self_assessment",
    ),
    path(
        "me/certifications/",
        digital_api.MyCertificationListApi.as_view(),
        name="me_certifications",
    ),
    path(
        "me/certifications/<id:pk>/",
        digital_api.MyCertificationDetailApi.as_view(),
        name="me_certification",
    ),
    path(
        "certifications/",
        digital_api.CertificationTypeListApi.as_view(),
        name="certification_types",
    ),
    path(
        "certifications/<id:pk>/check/",
        digital_api.CertificationCheckApi.as_view(),
        name="certification_check",
    ),
    path("employers/", employer_api.EmployerListApi.as_view(), name="employers"),
    path("employers/<slug:slug>/", employer_api.EmployerDetailApi.as_view(), name="employer"),
    path("vacancies/", employer_api.VacancyListApi.as_view(), name="vacancies"),
    path("vacancies/<id:pk>/", employer_api.VacancyDetailApi.as_view(), name="vacancy"),
    path(
        "applications/<id:pk>/stage/",
        employer_api.ApplicationStageApi.as_view(),
        name="application_stage",
    ),
    path(
        "vacancies/<id:pk>/shortlist/",
        employer_shortlist_api.VacancyShortlistApi.as_view(),
        name="vacancy_shortlist",
    ),
    path(
        "vacancies/<id:pk>/pool/",
        employer_shortlist_api.VacancyPoolApi.as_view(),
        name="vacancy_pool",
    ),
    # Practice tests. `tests/` is the name in API.md; `batteries/` the same list.
    path("tests/", assessment_api.BatteryListApi.as_view(), name="tests"),
    path("batteries/", assessment_api.BatteryListApi.as_view(), name="batteries"),
    path("attempts/", assessment_api.AttemptListApi.as_view(), name="attempts"),
    path("attempts/<uuid:pk>/", assessment_api.AttemptDetailApi.as_view(), name="attempt"),
    path(
        "attempts/<uuid:pk>/next/",
        assessment_api.AttemptNextItemApi.as_view(),
        name="attempt_next",
    ),
    path(
        "attempts/<uuid:pk>/responses/",
        assessment_api.ResponseListApi.as_view(),
        name="attempt_responses",
    ),
    path(
        "attempts/<uuid:pk>/finish/",
        assessment_api.AttemptFinishApi.as_view(),
        name="attempt_finish",
    ),
    path("me/matches/", match_api.MatchListApi.as_view(), name="me_matches"),
    path(
        "observatory/skills/",
        observatory_api.ObservatorySkillsApi.as_view(),
        name="observatory_skills",
    ),
    path(
        "observatory/trend/",
        observatory_api.ObservatoryTrendApi.as_view(),
        name="observatory_trend",
    ),
]

# The training catalogue, enrolment, certificates, paths, caseload and intakes.
for _module in (
    catalogue_urls,
    enrolment_urls,
    certificate_urls,
    path_urls,
    caseload_urls,
    intake_urls,
):
    urlpatterns += _module.api_urlpatterns
