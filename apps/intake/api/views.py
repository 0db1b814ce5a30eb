from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.api.errors import Conflict
from apps.intake import services
from apps.intake.api.serializers import AcceptSerializer, ArticleSerializer, DraftSerializer
from apps.intake.filtersets import DraftFilterSet
from apps.intake.models import Article, Draft


class EditorsOnly(permissions.DjangoModelPermissions):
    """Intake is the editors' workspace: reading it needs the view permission too."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }


class AcceptPermission(EditorsOnly):
    """Accepting or rejecting changes the draft; accepting also creates a fact, checked in the view."""

    perms_map = {**EditorsOnly.perms_map, "POST": ["%(app_label)s.change_%(model_name)s"]}


@extend_schema_view(
    list=extend_schema(
        summary="List intake articles",
        description="Articles pasted for intake, newest first, each with its drafts. Editors only.",
    ),
    retrieve=extend_schema(summary="Get an intake article", description="One article with its drafts and exclusions."),
    create=extend_schema(
        summary="Paste an article for intake",
        description="Stores the article (HTML reduced to text; no URL is fetched) and extracts draft statements, "
        "events, deadlines and actors from it, rule by rule. Nothing becomes a fact until an editor accepts a "
        "draft. Answers 201 with the drafts.",
    ),
)
class ArticleViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = Article.objects.prefetch_related(
        Prefetch("drafts", queryset=Draft.objects.select_related("article").order_by("ordinal", "id"))
    )
    serializer_class = ArticleSerializer
    permission_classes = [EditorsOnly]
    filter_backends: list = []

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        try:
            article = services.create_article(data=data, user=self.request.user)
        except DjangoValidationError as exc:
            raise exceptions.ValidationError(serializers.as_serializer_error(exc)) from None
        serializer.instance = self.get_queryset().get(pk=article.pk)


@extend_schema_view(
    list=extend_schema(summary="List intake drafts", description="Drafts of every article; filter by article."),
    retrieve=extend_schema(summary="Get an intake draft", description="One draft with its span and cues."),
)
class DraftViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = Draft.objects.select_related("article")
    serializer_class = DraftSerializer
    filterset_class = DraftFilterSet
    permission_classes = [EditorsOnly]

    @extend_schema(
        summary="Accept a draft: create its fact",
        description="Creates the fact through the same write path as the resource's own API (one version, "
        "recorded under you), cited to the article's source with the draft's span as excerpt and its section "
        "as locator. `fields` overrides the draft's values (the draft is then `edited`). 400 if the fields do "
        "not make a valid fact; 409 if the draft is not `proposed` or duplicates a statement (same speaker and "
        "words) already in the database, which is flagged and not created again.",
        request=AcceptSerializer,
        responses={200: DraftSerializer},
    )
    @action(detail=True, methods=["post"], permission_classes=[AcceptPermission], filter_backends=[])
    def accept(self, request, *args, **kwargs):
        draft = self.get_object()
        body = AcceptSerializer(data=request.data if request.data is not None else {})
        body.is_valid(raise_exception=True)
        model = services.serializer_for(draft.kind).Meta.model
        if not request.user.has_perm(f"{model._meta.app_label}.add_{model._meta.model_name}"):
            raise exceptions.PermissionDenied()
        try:
            services.accept(draft, user=request.user, overrides=body.validated_data["fields"], request=request)
        except services.DraftConflict as exc:
            raise Conflict(str(exc), code=exc.code) from None
        except DjangoValidationError as exc:
            raise exceptions.ValidationError(serializers.as_serializer_error(exc)) from None
        return Response(
            DraftSerializer(Draft.objects.select_related("article").get(pk=draft.pk), context={"request": request}).data
        )

    @extend_schema(
        summary="Reject a draft",
        description="Marks the draft rejected; nothing is written to the data. 409 if it is not `proposed`.",
        request=None,
        responses={200: DraftSerializer},
    )
    @action(detail=True, methods=["post"], permission_classes=[AcceptPermission], filter_backends=[])
    def reject(self, request, *args, **kwargs):
        draft = self.get_object()
        try:
            draft = services.reject(draft, user=request.user)
        except services.DraftConflict as exc:
            raise Conflict(str(exc), code=exc.code) from None
        return Response(
            DraftSerializer(Draft.objects.select_related("article").get(pk=draft.pk), context={"request": request}).data
        )
