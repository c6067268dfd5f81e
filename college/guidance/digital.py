"""The digital and cyber track as the job-seeker's dashboard and their counsellor's page show it:
the DigComp self-assessment, the track's practice batteries (when they exist), the external
certifications and the track's roles. A fixed number of queries whatever the data."""

from dataclasses import dataclass

from assessments.models import Battery
from candidates.digital.selectors import area_chart, certification_rows, self_assessment_state
from candidates.models import ExternalCertification
from college.models import Sector

# The track's batteries, by slug (assessments/data/batteries.json): each is linked
# only once it exists (and is active) in the database.
SAFETY_CHECK = "digital-safety-check"
CYBER_APTITUDE = "cyber-aptitude"
TRACK_BATTERIES = (SAFETY_CHECK, CYBER_APTITUDE)


@dataclass(frozen=True)
class DigitalTrack:
    state: object  # candidates.digital.selectors.SelfAssessmentState
    certifications: list  # CertificationRow
    batteries: dict  # slug → Battery, only those that exist
    sector: str = Sector.DIGITAL

    @property
    def safety_check(self):
        return self.batteries.get(SAFETY_CHECK)

    @property
    def cyber_aptitude(self):
        return self.batteries.get(CYBER_APTITUDE)

    @property
    def verified_count(self):
        return sum(
            1
            for row in self.certifications
            if row.record.status == ExternalCertification.Status.VERIFIED
        )

    @property
    def pending_count(self):
        return sum(
            1
            for row in self.certifications
            if row.record.status == ExternalCertification.Status.PENDING
        )

    @property
    def results(self):
        return self.state.results

    @property
    def chart(self):
        results = self.state.results
        return area_chart(results) if results else None


def digital_track_for(profile):
    """What the dashboard's and the counsellor's digital track panels show (3 queries)."""
    batteries = {
        battery.slug: battery
        for battery in Battery.objects.filter(slug__in=TRACK_BATTERIES, is_active=True)
    }
    return DigitalTrack(
        state=self_assessment_state(profile=profile),
        certifications=certification_rows(profile=profile),
        batteries=batteries,
    )
