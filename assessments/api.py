"""Practice tests in the public API: batteries, attempts, the next item, responses, finishing.

Job-seekers only (other roles get a 403); another person's attempt is a 404. An item is sent
without anything that scores it; in practice mode the response to an answer says whether it was
right and why. Answers after the deadline get a 409: the request is well formed, but the
attempt is closed (its `status` says why).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments.access import batteries_visible_to, get_attempt_step_for
from assessments.models import Attempt, Battery, Competency
from assessments.selectors import (
    attempt_progress,
    attempt_result,
    attempt_result_summary,
    battery_item_count,
    item_content,
    item_feedback,
    minutes,
    seconds_left,
    section_seconds_left,
)
from assessments.services import (
    AnswerRefused,
    AttemptClosed,
    InvalidAnswer,
    StartRefused,
    attempt_close_if_overdue,
    attempt_current_item,
    attempt_finish,
    attempt_start,
    attempt_step,
    response_save,
)
from college.core.compiled import Compiled
from college.core.converters import MAX_ID
from college.core.parsers import SafeJSONParser
from college.models import User
from college.reference.api import LANG_PARAMETER, SkillReferenceSerializer

MAX_CHOICES = 20


class IsCandidate(BasePermission):
    message = gettext_lazy("Practice tests are for job-seekers' accounts.")

    def has_permission(self, request, view):
        return request.user.is_authenticated and request.user.role == User.Role.CANDIDATE


CANDIDATES = [IsAuthenticated, IsCandidate]


# Batteries -----------------------------------------------------------------------------------


class BatterySectionSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    title = serializers.CharField()
    competency = serializers.ChoiceField(choices=Competency.choices)
    items = serializers.IntegerField(source="item_count", help_text="Items drawn at random.")
    minutes = serializers.SerializerMethodField()

    def get_minutes(self, section) -> int:
        return minutes(section.time_limit_seconds)


class BatterySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    kind = serializers.ChoiceField(choices=Battery.Kind.choices)
    title = serializers.CharField()
    description = serializers.CharField()
    languages = serializers.ListField(child=serializers.CharField(), help_text="fr, nl, en.")
    minutes = serializers.SerializerMethodField(help_text="Standard time, before extra time.")
    item_count = serializers.SerializerMethodField(
        help_text="Items in a fixed form; the maximum length of an adaptive test."
    )
    pass_percent = serializers.IntegerField(allow_null=True)
    section_pass_percent = serializers.IntegerField(allow_null=True)
    evidence_threshold = serializers.IntegerField(
        allow_null=True, help_text="From this score on, the skills it verifies are test-verified."
    )
    sections = BatterySectionSerializer(many=True, source="sections.all")

    def get_minutes(self, battery) -> int:
        return minutes(battery.total_seconds)

    def get_item_count(self, battery) -> int:
        return battery_item_count(battery)


@extend_schema(parameters=[LANG_PARAMETER], summary="Practice tests I can take")
class BatteryListApi(generics.ListAPIView):
    permission_classes = CANDIDATES
    serializer_class = BatterySerializer

    def get_queryset(self):
        return batteries_visible_to(self.request.user).prefetch_related("sections")


# Attempts ------------------------------------------------------------------------------------


class AttemptProgressSerializer(serializers.Serializer):
    answered = serializers.IntegerField()
    total = serializers.IntegerField(help_text="For an adaptive test, its maximum length.")


class ItemOptionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
    svg = serializers.CharField(required=False, help_text="The option's figure (abstract items).")
    alt = serializers.CharField(required=False, help_text="The figure described in words.")


class ItemPassageSerializer(serializers.Serializer):
    title = serializers.CharField()
    text = serializers.CharField()


class ItemMediaSerializer(serializers.Serializer):
    passage = ItemPassageSerializer(allow_null=True, help_text="The text a reading item is about.")
    figures = serializers.ListField(
        child=serializers.CharField(), help_text="Inline SVG figures of an abstract sequence."
    )
    alt = serializers.CharField(help_text="The figures described in words.")
    unit = serializers.CharField(help_text="The unit of a numeric answer.")
    exhibit = serializers.CharField(
        help_text=(
            "What a mark item's parts are taken from: email, log or message (the options are "
            "its parts, in order); empty for other items."
        )
    )


class LikertPointSerializer(serializers.Serializer):
    value = serializers.IntegerField()
    label = serializers.CharField()


class CandidateItemSectionSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    title = serializers.CharField()


class CandidateItemSerializer(serializers.Serializer):
    """An item as sent to the candidate: nothing in it says which answer scores."""

    id = serializers.IntegerField(help_text="The item's id, to name it in a response.")
    type = serializers.CharField(
        help_text=(
            "single_choice, multiple_response, numeric, sjt, likert, mark (tick the suspicious "
            "parts: answer with choices) or typed (a short text: answer with value)."
        )
    )
    stem = serializers.CharField()
    lang = serializers.CharField(help_text="The language of the item's text.")
    options = ItemOptionSerializer(many=True, help_text="In this attempt's order.")
    media = ItemMediaSerializer()
    scale = LikertPointSerializer(many=True, help_text="Work-style statements: the 1–5 scale.")
    position = serializers.IntegerField()
    section = CandidateItemSectionSerializer()
    respond_with = serializers.ChoiceField(
        choices=["choice", "choices", "value"],
        help_text="The field of the response that answers this item.",
    )


class OpenSectionSerializer(serializers.Serializer):
    position = serializers.IntegerField(source="section_position")
    deadline = serializers.DateTimeField(source="section_deadline")
    seconds_left = serializers.SerializerMethodField()

    def get_seconds_left(self, attempt) -> int:
        return section_seconds_left(attempt)


class AttemptSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    battery = serializers.SlugField(source="battery.slug")
    mode = serializers.ChoiceField(choices=Attempt.Mode.choices)
    language = serializers.CharField()
    status = serializers.ChoiceField(choices=Attempt.Status.choices)
    started_at = serializers.DateTimeField()
    deadline = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    seconds_left = serializers.SerializerMethodField()
    time_multiplier = serializers.DecimalField(max_digits=3, decimal_places=2)
    progress = serializers.SerializerMethodField()
    section = serializers.SerializerMethodField(
        help_text=(
            "Fixed tests time each part: the part open now, when it closes and the seconds "
            "left in it (extra time included). Null when the attempt has no timed part."
        )
    )

    def get_seconds_left(self, attempt) -> int:
        return seconds_left(attempt)

    @extend_schema_field(OpenSectionSerializer(allow_null=True))
    def get_section(self, attempt):
        if attempt.section_position is None or attempt.status != Attempt.Status.IN_PROGRESS:
            return None
        return OpenSectionSerializer(attempt).data

    @extend_schema_field(AttemptProgressSerializer)
    def get_progress(self, attempt):
        progress = attempt_progress(attempt)
        return {"answered": progress["answered"], "total": progress["total"]}


class CompetencyScoreSerializer(serializers.Serializer):
    competency = serializers.CharField()
    label = serializers.CharField()
    score = serializers.FloatField(help_text="0–100.")


class SectionScoreSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    title = serializers.CharField()
    competency = serializers.CharField()
    score = serializers.FloatField()
    passed = serializers.BooleanField(
        allow_null=True, help_text="At least the battery's minimum per part; null without one."
    )


class TraitScoreSerializer(serializers.Serializer):
    trait = serializers.CharField(source="code")
    label = serializers.CharField()
    mean = serializers.FloatField(help_text="1–5.")
    band = serializers.ChoiceField(choices=["low", "middle", "high"])
    feedback = serializers.CharField()


class EvidenceSerializer(serializers.Serializer):
    outcome = serializers.CharField()
    message = serializers.CharField()


class FinishedAttemptSerializer(AttemptSerializer):
    score = serializers.FloatField(
        source="score_percent",
        allow_null=True,
        help_text=(
            "0–100: the mean credit of the drawn items (unanswered count 0); for an adaptive "
            "test, the ability estimate as the share of the population below it. Null for a "
            "work-style inventory."
        ),
    )
    passed = serializers.BooleanField(
        allow_null=True, help_text="By the real step's rule; null when it has none."
    )
    percentile = serializers.FloatField(
        allow_null=True,
        help_text="Mid-rank percentile among the finished attempts at the battery.",
    )
    theta = serializers.FloatField(allow_null=True, help_text="Adaptive tests: ability (EAP).")
    theta_se = serializers.FloatField(allow_null=True)
    competencies = serializers.SerializerMethodField()
    sections = serializers.SerializerMethodField()
    traits = serializers.SerializerMethodField()
    verified_skills = serializers.SerializerMethodField(
        help_text="The skills this attempt made test-verified (empty when none)."
    )
    evidence = serializers.SerializerMethodField(
        help_text=(
            "Why skills were verified or not: outcome is verified, below_threshold, "
            "battery_flagged (the test failed its checks and awaits staff) or no_evidence; "
            "message explains it in the request's language."
        )
    )

    def _result(self, attempt):
        if not hasattr(attempt, "_result_cache"):
            attempt._result_cache = attempt_result(attempt, with_review=False)
        return attempt._result_cache

    @extend_schema_field(CompetencyScoreSerializer(many=True))
    def get_competencies(self, attempt):
        return CompetencyScoreSerializer(self._result(attempt)["competencies"], many=True).data

    @extend_schema_field(SectionScoreSerializer(many=True))
    def get_sections(self, attempt):
        return SectionScoreSerializer(self._result(attempt)["sections"], many=True).data

    @extend_schema_field(TraitScoreSerializer(many=True))
    def get_traits(self, attempt):
        return TraitScoreSerializer(self._result(attempt)["traits"], many=True).data

    @extend_schema_field(SkillReferenceSerializer(many=True))
    def get_verified_skills(self, attempt):
        result = self._result(attempt)
        skills = result["skills"] if result["has_verified_skills"] else []
        return SkillReferenceSerializer(skills, many=True).data

    @extend_schema_field(EvidenceSerializer)
    def get_evidence(self, attempt):
        result = self._result(attempt)
        return {"outcome": attempt.evidence_outcome, "message": str(result["evidence_message"])}


class AttemptDetailSerializer(AttemptSerializer):
    current_item = CandidateItemSerializer(
        allow_null=True, help_text="The item to answer now, if any."
    )
    result = FinishedAttemptSerializer(allow_null=True, help_text="Once the attempt is closed.")


# The hot steps' bodies, built directly: the same JSON as the serializers above give (the
# tests compare them), without building a serializer's fields at every request.

_DATETIME = serializers.DateTimeField()
_MULTIPLIER = AttemptSerializer().fields["time_multiplier"]


def _datetime(value):
    return None if value is None else _DATETIME.to_representation(value)


def attempt_json(attempt, progress):
    """`AttemptSerializer(attempt).data`, with the progress given (`attempt_step`'s)."""
    section = None
    if attempt.section_position is not None and attempt.status == Attempt.Status.IN_PROGRESS:
        section = {
            "position": attempt.section_position,
            "deadline": _datetime(attempt.section_deadline),
            "seconds_left": section_seconds_left(attempt),
        }
    return {
        "id": str(attempt.id),
        "battery": str(attempt.battery.slug),
        "mode": str(attempt.mode),
        "language": str(attempt.language),
        "status": str(attempt.status),
        "started_at": _datetime(attempt.started_at),
        "deadline": _datetime(attempt.deadline),
        "finished_at": _datetime(attempt.finished_at),
        "seconds_left": seconds_left(attempt),
        "time_multiplier": _MULTIPLIER.to_representation(attempt.time_multiplier),
        "progress": {"answered": progress["answered"], "total": progress["total"]},
        "section": section,
    }


def candidate_item_json(content):
    """`CandidateItemSerializer(content).data` for `selectors.item_content`'s dict."""
    options = []
    for option in content["options"]:
        entry = {"id": int(option["id"]), "label": str(option["label"])}
        if "svg" in option:
            entry["svg"] = str(option["svg"])
        if "alt" in option:
            entry["alt"] = str(option["alt"])
        options.append(entry)
    media = content["media"]
    passage = media["passage"]
    return {
        "id": int(content["id"]),
        "type": str(content["type"]),
        "stem": str(content["stem"]),
        "lang": str(content["lang"]),
        "options": options,
        "media": {
            "passage": None
            if passage is None
            else {"title": str(passage["title"]), "text": str(passage["text"])},
            "figures": [str(figure) for figure in media["figures"]],
            "alt": str(media["alt"]),
            "unit": str(media["unit"]),
            "exhibit": str(media["exhibit"]),
        },
        "scale": [
            {"value": int(point["value"]), "label": str(point["label"])}
            for point in content["scale"]
        ],
        "position": int(content["position"]),
        "section": {
            "position": int(content["section"]["position"]),
            "title": str(content["section"]["title"]),
        },
        "respond_with": str(content["respond_with"]),
    }


def _float(value):
    return None if value is None else float(value)


def finished_attempt_json(attempt, progress):
    """`FinishedAttemptSerializer(attempt).data`, with the progress given (`attempt_finish`'s)."""
    result = attempt_result_summary(attempt)
    skills = result["skills"] if result["has_verified_skills"] else []
    return {
        **attempt_json(attempt, progress),
        "score": _float(attempt.score_percent),
        "passed": attempt.passed,
        "percentile": _float(attempt.percentile),
        "theta": _float(attempt.theta),
        "theta_se": _float(attempt.theta_se),
        "competencies": [
            {
                "competency": str(row["competency"]),
                "label": str(row["label"]),
                "score": float(row["score"]),
            }
            for row in result["competencies"]
        ],
        "sections": [
            {
                "position": int(row["position"]),
                "title": str(row["title"]),
                "competency": str(row["competency"]),
                "score": float(row["score"]),
                "passed": row["passed"],
            }
            for row in result["sections"]
        ],
        "traits": [
            {
                "trait": str(row["code"]),
                "label": str(row["label"]),
                "mean": float(row["mean"]),
                "band": str(row["band"]),
                "feedback": str(row["feedback"]),
            }
            for row in result["traits"]
        ],
        "verified_skills": SkillReferenceSerializer(skills, many=True).data,
        "evidence": {
            "outcome": attempt.evidence_outcome,
            "message": str(result["evidence_message"]),
        },
    }


def _refused_response(refusal):
    return Response(
        {"detail": str(refusal.message), "code": refusal.code}, status=status.HTTP_409_CONFLICT
    )


def _closed_response(attempt):
    return Response(
        {
            "detail": _("This attempt is closed: time ran out or it was finished."),
            "status": attempt.status,
        },
        status=status.HTTP_409_CONFLICT,
    )


# `batteries_visible_to` a job-seeker, for one slug, compiled once (college.core.compiled).
_OFFERED_BATTERY = Compiled(
    "offered battery",
    lambda slug: (
        batteries_visible_to(User(pk=-7_310_083, role=User.Role.CANDIDATE))
        .filter(slug=slug)
        .order_by(*Battery._meta.ordering)[:1]
    ),
    slug="\x00offered-battery",
)


class AttemptListApi(APIView):
    """Starts an attempt (or resumes the open one at the same battery)."""

    permission_classes = CANDIDATES
    parser_classes = [SafeJSONParser]

    class StartSerializer(serializers.Serializer):
        battery = serializers.CharField(
            required=False, max_length=50, help_text="The battery's slug (or its id)."
        )
        test = serializers.CharField(
            required=False, max_length=50, help_text="Same as battery (the name in API.md)."
        )
        mode = serializers.ChoiceField(choices=Attempt.Mode.choices, default=Attempt.Mode.PRACTICE)
        language = serializers.ChoiceField(
            choices=["fr", "nl", "en"],
            required=False,
            help_text="Defaults to my preferred language when the test offers it.",
        )

        def validate(self, attrs):
            reference = attrs.get("battery") or attrs.get("test")
            if not reference:
                raise serializers.ValidationError({"battery": [_("Name the test to take.")]})
            user = self.context["user"]
            batteries = batteries_visible_to(user)
            if user.is_authenticated and user.role == User.Role.CANDIDATE:
                battery = _OFFERED_BATTERY.first(slug=reference)
            else:
                battery = batteries.filter(slug=reference).first()
            if battery is None and reference.isdigit() and int(reference) <= MAX_ID:
                battery = batteries.filter(pk=int(reference)).first()
            if battery is None:
                raise serializers.ValidationError({"battery": [_("There is no such test.")]})
            language = attrs.get("language")
            if language is None:
                preferred = self.context["user"].preferred_language
                language = preferred if preferred in battery.languages else battery.languages[0]
            attrs["battery"], attrs["language"] = battery, language
            return attrs

    @extend_schema(
        request=StartSerializer,
        responses={
            201: AttemptSerializer,
            200: OpenApiResponse(AttemptSerializer, description="The open attempt, resumed."),
        },
        summary="Start a practice test",
        description=(
            "Draws the items (shuffled, seeded) and sets the deadline: the battery's time × my "
            "extra-time multiplier. With an attempt at the same battery still open, returns "
            "that one with 200 instead."
        ),
    )
    def post(self, request):
        serializer = self.StartSerializer(data=request.data, context={"user": request.user})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            attempt = attempt_start(
                user=request.user,
                battery=data["battery"],
                mode=data["mode"],
                language=data["language"],
            )
        except StartRefused as refusal:
            raise serializers.ValidationError({refusal.field: [str(refusal.message)]}) from None
        progress = attempt.progress if attempt.is_new else attempt_progress(attempt)
        return Response(
            attempt_json(attempt, progress),
            status=status.HTTP_201_CREATED if attempt.is_new else status.HTTP_200_OK,
        )


def _own_attempt(request, pk):
    return attempt_close_if_overdue(attempt=get_attempt_step_for(request.user, pk))


class AttemptDetailApi(APIView):
    permission_classes = CANDIDATES

    @extend_schema(
        responses={200: AttemptDetailSerializer},
        summary="My attempt: state, current item, progress",
        description="The current item never carries its key; `result` is set once closed.",
    )
    def get(self, request, pk):
        attempt = _own_attempt(request, pk)
        current, progress = attempt_step(attempt=attempt)
        data = attempt_json(attempt, progress)
        data["current_item"] = (
            candidate_item_json(item_content(current, attempt)) if current else None
        )
        data["result"] = (
            None
            if attempt.status == Attempt.Status.IN_PROGRESS
            else FinishedAttemptSerializer(attempt).data
        )
        return Response(data)


class AttemptNextItemApi(APIView):
    permission_classes = CANDIDATES

    @extend_schema(
        responses={
            200: CandidateItemSerializer,
            204: OpenApiResponse(description="No item left: finish the attempt."),
            409: OpenApiResponse(description="The attempt is closed."),
        },
        summary="The item to answer now",
        description=(
            "The first unanswered item (for an adaptive test, chosen now). Nothing in it "
            "scores it: no correct flag, effectiveness, key or explanation."
        ),
    )
    def get(self, request, pk):
        attempt = _own_attempt(request, pk)
        if attempt.status != Attempt.Status.IN_PROGRESS:
            return _closed_response(attempt)
        current = attempt_current_item(attempt=attempt)
        if current is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(candidate_item_json(item_content(current, attempt)))


class ResponseOutputSerializer(serializers.Serializer):
    item = serializers.IntegerField(source="attempt_item.item_id")
    choice = serializers.IntegerField(source="choice_id", allow_null=True)
    choices = serializers.ListField(child=serializers.IntegerField())
    value = serializers.CharField()
    answered_at = serializers.DateTimeField()


class PracticeResponseSerializer(ResponseOutputSerializer):
    correct = serializers.BooleanField(
        allow_null=True, help_text="Practice mode: full credit? Null for work-style statements."
    )
    score = serializers.FloatField(allow_null=True, help_text="Practice mode: credit 0–1.")
    explanation = serializers.CharField(help_text="Practice mode: why the key is right.")


def response_json(response):
    """`ResponseOutputSerializer(response).data`."""
    return {
        "item": response.attempt_item.item_id,
        "choice": response.choice_id,
        "choices": [int(choice) for choice in response.choices],
        "value": str(response.value),
        "answered_at": _datetime(response.answered_at),
    }


class ResponseListApi(APIView):
    permission_classes = CANDIDATES
    parser_classes = [SafeJSONParser]

    class ResponseInputSerializer(serializers.Serializer):
        item = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="An item id.")
        choice = serializers.IntegerField(
            required=False, min_value=1, max_value=MAX_ID, help_text="An option id."
        )
        choices = serializers.ListField(
            child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
            required=False,
            max_length=MAX_CHOICES,
            help_text="Option ids, for multiple response, or the parts marked (mark items).",
        )
        value = serializers.CharField(
            required=False,
            max_length=50,
            allow_blank=True,
            help_text=(
                "A number (comma or point); for work-style statements, 1–5; for a typed item, "
                "the short answer."
            ),
        )

        def validate(self, attrs):
            if not any(key in attrs for key in ("choice", "choices", "value")):
                raise serializers.ValidationError(
                    {"non_field_errors": [_("Send a choice, choices or a value.")]}
                )
            return attrs

    @extend_schema(
        request=ResponseInputSerializer,
        responses={
            201: PracticeResponseSerializer,
            200: OpenApiResponse(
                PracticeResponseSerializer,
                description="The item was answered already: the stored answer, unchanged.",
            ),
            400: OpenApiResponse(description="The answer cannot be used, such as no number."),
            404: OpenApiResponse(description="No such attempt, or the item is not in it."),
            409: OpenApiResponse(
                description=(
                    "The deadline has passed or the attempt is closed; or the item was not "
                    "served yet (code not_served) or its part is closed (code section_closed)."
                )
            ),
        },
        summary="Answer one item",
        description=(
            "Answers are final: sending the same item again returns the stored response with "
            "200 and changes nothing. In practice mode the body adds correct, score and "
            "explanation (only exam mode keeps them for the end). Answers at or after the "
            "deadline are refused with 409 and the attempt closes."
        ),
    )
    def post(self, request, pk):
        attempt = get_attempt_step_for(request.user, pk)
        serializer = self.ResponseInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            response, created = response_save(
                attempt=attempt,
                item=data["item"],
                choice=data.get("choice"),
                choices=data.get("choices"),
                value=data.get("value"),
            )
        except AttemptClosed as closed:
            return _closed_response(closed.attempt)
        except AnswerRefused as refusal:
            return _refused_response(refusal)
        except InvalidAnswer as error:
            raise serializers.ValidationError({error.field: [str(error.message)]}) from None
        body = response_json(response)
        if attempt.mode == Attempt.Mode.PRACTICE:
            attempt_item = response.attempt_item
            feedback = item_feedback(attempt_item, response, attempt.language)
            body["correct"] = (
                None if feedback["verdict"] is None else feedback["verdict"] == "right"
            )
            body["score"] = response.score if attempt_item.item.is_scored else None
            body["explanation"] = feedback["explanation"]
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class AttemptFinishApi(APIView):
    permission_classes = CANDIDATES

    @extend_schema(
        request=None,
        responses={200: FinishedAttemptSerializer},
        summary="Finish my attempt and get the result",
        description=(
            "Closes the attempt and scores it: overall score, pass decision by the real "
            "step's rule, percentile, score per competency and per section, work-style "
            "profile. Finishing again returns the same result."
        ),
    )
    def post(self, request, pk):
        attempt = attempt_finish(attempt=get_attempt_step_for(request.user, pk))
        progress = getattr(attempt, "progress", None) or attempt_progress(attempt)
        return Response(finished_attempt_json(attempt, progress))
