from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from aigaq.core import accounts, twofactor
from aigaq.core.models import AuditEntry, User


def _superuser(request):  # type: ignore[no-untyped-def]
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _superuser  # type: ignore[method-assign]


def _sign_in_first(request, extra_context=None):  # type: ignore[no-untyped-def]
    """The admin has no sign-in form of its own: the staff sign-in, with its second factor."""
    next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
    return redirect_to_login(next_url, reverse("staff:login"))


admin.site.login = _sign_in_first  # type: ignore[method-assign]


@admin.register(User)
class AigaqUserAdmin(UserAdmin):
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Aigaq", {"fields": ("role", "display_name", "must_change_password")}),
    )  # type: ignore[operator]
    list_display = ("username", "display_name", "role", "is_active", "last_login")
    actions = ["disable_now", "reset_two_factor"]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        """Unticking "active" disables the account at once: its sessions end too (audited)."""
        disabling = change and "is_active" in form.changed_data and not obj.is_active
        if disabling:
            obj.is_active = True  # accounts.user_disable writes it, with the audit entry
        super().save_model(request, obj, form, change)
        if disabling:
            try:
                accounts.user_disable(user=obj, actor=request.user)
            except ValidationError as e:
                self.message_user(request, " ".join(e.messages), level="error")

    @admin.action(description=_("Disable now and end their sessions"))
    def disable_now(self, request, queryset):  # type: ignore[no-untyped-def]
        for user in queryset.filter(is_active=True):
            try:
                accounts.user_disable(user=user, actor=request.user)
            except ValidationError as e:
                self.message_user(request, " ".join(e.messages), level="error")

    @admin.action(description=_("Reset the second factor (lost phone)"))
    def reset_two_factor(self, request, queryset):  # type: ignore[no-untyped-def]
        for user in queryset:
            twofactor.two_factor_reset(user=user, actor=request.user)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_label", "action", "object_type", "object_label")
    list_filter = ("action", "object_type")
    search_fields = ("actor_label", "object_id", "object_label")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
