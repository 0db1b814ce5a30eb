"""Review in the admin: an article's text beside its drafts, each span highlighted; accept, edit then
accept, reject, or accept every proposed draft of a kind. Facts are made by ``apps.intake.services.accept``
(the resource's serializer, then ``apps.core.record.services``): one version each, under the editor."""

import itertools
import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from rest_framework.exceptions import ValidationError as DRFValidationError

from apps.intake import review, services
from apps.intake.choices import DraftKind, DraftState
from apps.intake.models import Article, Draft


def highlighted(article: Article, drafts) -> str:
    """The article's text, HTML-escaped, each draft's span in a <mark> naming its drafts' numbers."""
    bounds = {0, len(article.text)}
    for draft in drafts:
        bounds.update((draft.start, draft.end))
    edges = sorted(b for b in bounds if 0 <= b <= len(article.text))
    parts = []
    for left, right in itertools.pairwise(edges):
        piece = escape(article.text[left:right])
        covering = [d for d in drafts if d.start <= left and right <= d.end and d.start < d.end]
        if covering:
            numbers = " ".join(f"#{d.ordinal + 1}" for d in covering)
            states = {d.state for d in covering}
            css = (
                "accepted"
                if states <= {DraftState.ACCEPTED, DraftState.EDITED}
                else ("rejected" if states == {DraftState.REJECTED} else "proposed")
            )
            parts.append(format_html('<mark class="intake-{}" title="{}">{}</mark>', css, numbers, piece))
        else:
            parts.append(piece)
    return mark_safe("".join(str(p) for p in parts))  # every piece escaped above


def fact_error(exc) -> str:
    detail = exc.detail if isinstance(exc, DRFValidationError) else exc.message_dict
    if isinstance(detail, dict):
        return "; ".join(
            f"{field}: {' '.join(str(m) for m in msgs) if isinstance(msgs, list) else msgs}"
            for field, msgs in detail.items()
        )
    return str(detail)


class ArticleForm(forms.ModelForm):
    url = forms.URLField(max_length=1000, required=False, assume_scheme="https", help_text="Recorded, never fetched.")

    class Meta:
        model = Article
        fields = [
            "title",
            "publisher",
            "author",
            "kind",
            "published_on",
            "published_on_precision",
            "url",
            "language",
            "text",
        ]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    list_display = ["title", "publisher", "published_on", "draft_count", "created_at"]
    search_fields = ["title", "publisher", "author"]
    change_form_template = "admin/intake/article/change_form.html"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_drafts=models.Count("drafts"))

    @admin.display(description="drafts", ordering="_drafts")
    def draft_count(self, obj):
        return obj._drafts

    def get_readonly_fields(self, request, obj=None):
        # Spans index into the text: once drafts exist, it does not change.
        return ["text", "source", "created_by"] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        article = services.create_article(data=data, user=request.user)
        obj.pk, obj.text, obj.exclusions = article.pk, article.text, article.exclusions
        obj._state.adding, obj._state.db = False, article._state.db

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<uuid:article_id>/drafts/<uuid:draft_id>/accept/", view(self.accept_view), name="intake_draft_accept"
            ),
            path(
                "<uuid:article_id>/drafts/<uuid:draft_id>/reject/", view(self.reject_view), name="intake_draft_reject"
            ),
            path("<uuid:article_id>/drafts/<uuid:draft_id>/edit/", view(self.edit_view), name="intake_draft_edit"),
            path(
                "<uuid:article_id>/accept-all/<str:kind>/", view(self.accept_kind_view), name="intake_draft_accept_kind"
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id)
        extra_context = dict(extra_context or {})
        if article is not None:
            drafts = list(article.drafts.select_related("duplicate_of").order_by("ordinal", "id"))
            shown = review.reviews(drafts)
            for draft in drafts:
                draft.review = shown[str(draft.pk)]
            extra_context.update(
                intake_drafts=drafts,
                intake_text=highlighted(article, drafts),
                intake_exclusions=article.exclusions,
                intake_kinds=[
                    k for k in DraftKind if any(d.kind == k and d.state == DraftState.PROPOSED for d in drafts)
                ],
            )
        return super().change_view(request, object_id, form_url, extra_context)

    # -- review actions ----------------------------------------------------------

    def _draft(self, request, article_id, draft_id) -> Draft:
        if not request.user.has_perm("intake.change_draft"):
            raise PermissionDenied
        return get_object_or_404(Draft.objects.select_related("article"), pk=draft_id, article_id=article_id)

    def _back(self, article_id):
        return HttpResponseRedirect(reverse("admin:intake_article_change", args=[article_id]) + "#intake-drafts")

    def _accept(self, request, draft, overrides=None) -> bool:
        model = services.serializer_for(draft.kind).Meta.model
        if not request.user.has_perm(f"{model._meta.app_label}.add_{model._meta.model_name}"):
            messages.error(request, f"Draft #{draft.ordinal + 1}: you may not add {model._meta.verbose_name_plural}.")
            return False
        try:
            fact = services.accept(draft, user=request.user, overrides=overrides)
        except services.DraftConflict as exc:
            messages.warning(request, f"Draft #{draft.ordinal + 1}: {exc}")
        except (DRFValidationError, DjangoValidationError) as exc:
            messages.error(request, f"Draft #{draft.ordinal + 1} not accepted – {fact_error(exc)}")
        else:
            messages.success(request, f"Draft #{draft.ordinal + 1} accepted: {model._meta.verbose_name} “{fact}”.")
            return True
        return False

    def accept_view(self, request, article_id, draft_id):
        if request.method != "POST":
            return self._back(article_id)
        self._accept(request, self._draft(request, article_id, draft_id))
        return self._back(article_id)

    def reject_view(self, request, article_id, draft_id):
        if request.method != "POST":
            return self._back(article_id)
        draft = self._draft(request, article_id, draft_id)
        try:
            services.reject(draft, user=request.user)
        except services.DraftConflict as exc:
            messages.warning(request, f"Draft #{draft.ordinal + 1}: {exc}")
        else:
            messages.success(request, f"Draft #{draft.ordinal + 1} rejected.")
        return self._back(article_id)

    def accept_kind_view(self, request, article_id, kind):
        if request.method != "POST" or kind not in DraftKind.values:
            return self._back(article_id)
        if not request.user.has_perm("intake.change_draft"):
            raise PermissionDenied
        drafts = Draft.objects.filter(article_id=article_id, kind=kind, state=DraftState.PROPOSED, duplicate_of=None)
        accepted = sum(self._accept(request, draft) for draft in drafts.order_by("ordinal", "id"))
        messages.info(request, f"{accepted} {DraftKind(kind).label.lower()} draft(s) accepted.")
        return self._back(article_id)

    def edit_view(self, request, article_id, draft_id):
        draft = self._draft(request, article_id, draft_id)
        form = DraftEditForm(
            request.POST or None, initial={"values": json.dumps(draft.fields, indent=2, ensure_ascii=False)}
        )
        if request.method == "POST" and form.is_valid() and self._accept(request, draft, form.cleaned_data["values"]):
            return self._back(article_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Edit draft #{draft.ordinal + 1} then accept",
            "draft": draft,
            "form": form,
            "article": draft.article,
        }
        return TemplateResponse(request, "admin/intake/article/edit_draft.html", context)


class DraftEditForm(forms.Form):
    values = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 18, "cols": 90}), help_text="The fact's fields, as JSON."
    )

    def clean_values(self):
        try:
            value = json.loads(self.cleaned_data["values"])
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(f"Not valid JSON: {exc}") from None
        if not isinstance(value, dict):
            raise forms.ValidationError("Give a JSON object of field names and values.")
        return value


@admin.register(Draft)
class DraftAdmin(admin.ModelAdmin):
    list_display = ["__str__", "article", "kind", "state", "rule", "locator"]
    list_filter = ["kind", "state", "rule"]
    list_select_related = ["article"]
    readonly_fields = [f.name for f in Draft._meta.fields]
    actions = ["reject_selected"]

    def has_add_permission(self, request):
        return False  # drafts come from articles

    @admin.action(description="Reject the selected drafts", permissions=["change"])
    def reject_selected(self, request, queryset):
        done = 0
        for draft in queryset.filter(state=DraftState.PROPOSED):
            services.reject(draft, user=request.user)
            done += 1
        messages.success(request, f"{done} draft(s) rejected.")
