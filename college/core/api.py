"""`POST /api/v1/auth/token/`: an e-mail address and password (and the second step where it
is expected) exchanged for the user's API token."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from college.core import login_throttle, mfa
from college.core.ratelimit import AnonymousRateThrottle, RouteRateThrottle
from college.core.request_hygiene import QueryParameterCheck


class TokenObtainThrottle(AnonymousRateThrottle):
    scope = "token"
    rate = "30/minute"


class TokenObtainApi(APIView):
    """Exchanges an e-mail address and password for the user's API token."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [QueryParameterCheck, TokenObtainThrottle, RouteRateThrottle]

    class CredentialsSerializer(serializers.Serializer):
        email = serializers.EmailField(max_length=320)
        password = serializers.CharField(
            trim_whitespace=False, max_length=4096, style={"input_type": "password"}
        )
        otp = serializers.CharField(
            required=False,
            allow_blank=True,
            max_length=20,
            help_text=(
                "The current code of the user's authenticator app (or a recovery code): "
                "required for college staff, employer members and anyone who turned on "
                "two-step verification."
            ),
        )

    class TokenSerializer(serializers.Serializer):
        token = serializers.CharField()

    @extend_schema(
        request=CredentialsSerializer,
        responses={200: TokenSerializer},
        summary="Obtain an API token",
        auth=[],
    )
    def post(self, request):
        serializer = self.CredentialsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        email = serializer.validated_data["email"]
        client = login_throttle.client_address(request)
        if login_throttle.is_blocked(email, client):
            raise Throttled(
                wait=login_throttle.retry_after_seconds(),
                detail=_("Too many failed attempts. Wait before trying again."),
            )
        user = authenticate(request, username=email, password=serializer.validated_data["password"])
        if user is None:
            login_throttle.record_failure(email, client)
            raise serializers.ValidationError(
                {"non_field_errors": [_("Unable to log in with these credentials.")]}
            )
        if mfa.mfa_is_expected(user):
            try:
                self._check_second_step(request, user, serializer.validated_data.get("otp", ""))
            except serializers.ValidationError:
                login_throttle.record_failure(email, client)
                raise
        login_throttle.clear_failures(email)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key}, status=status.HTTP_200_OK)

    def _check_second_step(self, request, user, code):
        if mfa.confirmed_device(user) is None:
            raise serializers.ValidationError(
                {"otp": [_("Set up two-step verification on the website first.")]}
            )
        if not code:
            raise serializers.ValidationError(
                {"otp": [_("Type the code of your authenticator app.")]}
            )
        if not mfa.mfa_verify(user=user, code=code, request=request):
            raise serializers.ValidationError(
                {"otp": [_("This code is not valid, or was already used. Try the next one.")]}
            )
