from django.contrib.auth import views as auth_views
from django.urls import path

from aigaq.staff import (
    accounts,
    backups,
    casework,
    corrections,
    dossier,
    exports,
    jobs,
    lock,
    media,
    persons,
    petitions,
    redaction,
    signin,
    testimonies,
    transcripts,
    uploads,
    views,
)

app_name = "staff"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/code/", signin.login_code, name="login_code"),
    path("login/enrol/", signin.login_enrol, name="login_enrol"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("", views.dashboard, name="dashboard"),
    path("settings/lock/", lock.lock_confirm, name="lock"),
    # One's own account, and an administrator's pages about another (staff/accounts.py)
    path("account/", accounts.account, name="account"),
    path("account/activity/", accounts.account_activity, name="account_activity"),
    path(
        "account/sign-out-everywhere/",
        accounts.account_sign_out_all,
        name="account_sign_out_all",
    ),
    path("account/recovery-codes/", accounts.account_recovery_codes, name="account_recovery_codes"),
    path("users/<int:pk>/activity/", accounts.user_activity, name="user_activity"),
    path("users/<int:pk>/disable/", accounts.user_disable, name="user_disable"),
    path(
        "users/<int:pk>/reset-two-factor/",
        accounts.user_two_factor_reset,
        name="user_two_factor_reset",
    ),
    # Persons
    path("persons/", persons.person_list, name="person_list"),
    path("persons/export.<str:fmt>", exports.person_export, name="person_export"),
    path("persons/new/", persons.person_new, name="person_new"),
    path("persons/new/look-alikes/", persons.person_look_alikes, name="person_look_alikes"),
    path("persons/suggest/", persons.person_suggest, name="person_suggest"),
    path("persons/<int:entry_no>/", persons.person_detail, name="person_detail"),
    path("persons/<int:entry_no>/edit/", persons.person_edit, name="person_edit"),
    path("persons/<int:entry_no>/status/", persons.status_add, name="status_add"),
    path("persons/<int:entry_no>/status/<uuid:pk>/edit/", persons.status_edit, name="status_edit"),
    path(
        "persons/<int:entry_no>/status/<uuid:pk>/remove/",
        persons.status_remove,
        name="status_remove",
    ),
    path("persons/<int:entry_no>/restricted/", persons.person_reveal, name="person_reveal"),
    path("persons/<int:entry_no>/photo/", persons.person_photo, name="person_photo"),
    path("places/suggest/", persons.place_suggest, name="place_suggest"),
    # Testimonies
    path("testimonies/", testimonies.testimony_list, name="testimony_list"),
    path("testimonies/export.<str:fmt>", exports.testimony_export, name="testimony_export"),
    path("testimonies/new/", testimonies.testimony_new, name="testimony_new"),
    path("testimonies/<int:number>/", testimonies.testimony_detail, name="testimony_detail"),
    path("testimonies/<int:number>/edit/", testimonies.testimony_edit, name="testimony_edit"),
    path(
        "testimonies/<int:number>/withdraw/",
        testimonies.testimony_withdraw,
        name="testimony_withdraw",
    ),
    path(
        "testimonies/<int:number>/contact/", testimonies.testifier_contact, name="testifier_contact"
    ),
    path("testifiers/suggest/", testimonies.testifier_suggest, name="testifier_suggest"),
    # Transcripts, translations and subtitles (staff/transcripts.py; aigaq/transcripts)
    path(
        "testimonies/<int:number>/transcript/<str:lang>/",
        transcripts.transcript_editor,
        name="transcript_editor",
    ),
    path(
        "testimonies/<int:number>/translation/<str:lang>/",
        transcripts.translation_page,
        name="translation_page",
    ),
    path(
        "testimonies/<int:number>/subtitles/<str:lang>.vtt",
        transcripts.subtitle_track,
        name="subtitle_track",
    ),
    path(
        "testimonies/<int:number>/subtitles/<str:lang>/download.<str:fmt>",
        transcripts.subtitle_download,
        name="subtitle_download",
    ),
    path(
        "testimonies/<int:number>/package/",
        transcripts.publication_package,
        name="publication_package",
    ),
    path(
        "testimonies/<int:number>/mentions/<str:lang>/",
        transcripts.transcript_mentions,
        name="transcript_mentions",
    ),
    path(
        "packages/<uuid:pk>/download/",
        transcripts.publication_package_download,
        name="publication_package_download",
    ),
    path("translations/", transcripts.translation_queue, name="translation_queue"),
    path("translations/review/", transcripts.review_queue, name="review_queue"),
    path("transcripts/search/", transcripts.transcript_search, name="transcript_search"),
    # Resumable uploads (tus 1.0.0): a large file survives a dropped connection
    path("uploads/", uploads.upload_create, name="upload_create"),
    path("uploads/<uuid:pk>/", uploads.upload_detail, name="upload_detail"),
    # Redaction of a video (publication copies)
    path("media/<uuid:pk>/redact/", redaction.redaction_page, name="redaction"),
    path("media/<uuid:pk>/redact/video/", redaction.redaction_video, name="redaction_video"),
    path(
        "media/<uuid:pk>/redact/copies/<uuid:rendition>/",
        redaction.redaction_copy,
        name="redaction_copy",
    ),
    # Playback of a testimony's video and sound files (staff/media.py)
    path("media/<uuid:pk>/play/", media.media_play, name="media_play"),
    path("media/<uuid:pk>/poster/", media.media_poster, name="media_poster"),
    path("media/<uuid:pk>/thumbs/", media.media_thumbs, name="media_thumbs"),
    path("media/<uuid:pk>/player/", media.media_player, name="media_player"),
    # Petitions (staff/petitions.py; the person page's panel is loaded from petition_panel)
    path("persons/<int:entry_no>/petitions/", petitions.petition_panel, name="petition_panel"),
    path("persons/<int:entry_no>/petitions/new/", petitions.petition_new, name="petition_new"),
    path(
        "persons/<int:entry_no>/family-summary/",
        petitions.family_summary_page,
        name="family_summary",
    ),
    path("petitions/", petitions.petitions_home, name="petitions_home"),
    path("petitions/batch/", petitions.petitions_batch_page, name="petitions_batch"),
    path("petitions/dossier/", dossier.dossier_page, name="dossier"),
    path("petitions/<uuid:pk>/", petitions.petition_detail, name="petition_detail"),
    path(
        "petitions/<uuid:pk>/document.<str:fmt>",
        petitions.petition_document,
        name="petition_document",
    ),
    path("petitions/<uuid:pk>/state/", petitions.petition_state, name="petition_state"),
    path("petitions/<uuid:pk>/next/", petitions.petition_next, name="petition_next"),
    path(
        "petitions/<uuid:pk>/answer-scan/",
        petitions.petition_answer_scan,
        name="petition_answer_scan",
    ),
    # Family contacts and the press desk (staff/casework.py; the person page's Contacts panel
    # is loaded from contacts_panel)
    path("persons/<int:entry_no>/contacts/", casework.contacts_panel, name="contacts_panel"),
    path("casework/", casework.casework_home, name="casework_home"),
    path("casework/contacts/<uuid:pk>/", casework.contact_detail, name="contact_detail"),
    path("casework/contacts/<uuid:pk>/log/", casework.contact_log, name="contact_log"),
    path("casework/contacts/<uuid:pk>/edit/", casework.contact_edit, name="contact_edit"),
    path("casework/contacts/<uuid:pk>/handle/", casework.contact_handle, name="contact_handle"),
    path("casework/contacts/<uuid:pk>/message/", casework.contact_message, name="contact_message"),
    path("casework/press/new/", casework.press_new, name="press_new"),
    path("casework/press/<uuid:pk>/", casework.press_detail, name="press_detail"),
    path("casework/press/<uuid:pk>/introduce/", casework.press_introduce, name="press_introduce"),
    path("casework/press/<uuid:pk>/close/", casework.press_close, name="press_close"),
    # Background jobs (imports, the duplicate scan)
    path("jobs/<uuid:pk>/", jobs.job_detail, name="job_detail"),
    path("corrections/", corrections.correction_list, name="correction_list"),
    path("corrections/<uuid:pk>/", corrections.correction_detail, name="correction_detail"),
    path("jobs/<uuid:pk>/status/", jobs.job_status, name="job_status"),
    path("backups/now/", backups.backup_now, name="backup_now"),
]
