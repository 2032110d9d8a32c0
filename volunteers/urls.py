from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from training.pwa import clears_site_data
from volunteers import two_factor, views
from volunteers.forms import EmaillessResetForm, LoginForm, PasswordChangeForm, SetPasswordForm
from volunteers.leaders import leader_account

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="volunteers/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="account_login",
    ),
    # Signing out clears what the installable app kept on the phone (training.pwa).
    path("logout/", clears_site_data(auth_views.LogoutView.as_view()), name="account_logout"),
    path("signup/", views.sign_up, name="account_signup"),
    path("signup/sent/", views.sign_up_sent, name="account_signup_sent"),
    path("confirm/<str:token>/", views.confirm_email, name="account_confirm_email"),
    path("confirm-again/", views.resend_confirmation, name="account_resend_confirmation"),
    path("consent/", views.consent, name="account_consent"),
    path("profile/", views.profile, name="account_profile"),
    path("profile/my-data.json", views.data_export, name="account_data_export"),
    path("profile/erase/", views.erasure_request, name="account_erasure_request"),
    # Two-step verification for organisation leaders, outside the admin (volunteers.leaders).
    path("two-step/verify/", leader_account(two_factor.verify), name="account_two_factor_verify"),
    path("two-step/setup/", leader_account(two_factor.setup), name="account_two_factor_setup"),
    path(
        "two-step/recovery-codes/",
        leader_account(two_factor.recovery_codes),
        name="account_two_factor_recovery_codes",
    ),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            form_class=PasswordChangeForm,
            template_name="registration/password_change_form.html",
            success_url=reverse_lazy("password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="registration/password_change_done.html"),
        name="password_change_done",
    ),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            form_class=EmaillessResetForm,
            template_name="registration/password_reset_form.html",
            success_url=reverse_lazy("password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="registration/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=SetPasswordForm,
            template_name="registration/password_reset_confirm.html",
            success_url=reverse_lazy("password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
