from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .admin_views import MessagePermissionPolicy, message_viewset, ready_answer_viewset
from .board_views import add_messages_panel
from .models import ContactMessage

# Registered before the viewset so that Wagtail never falls back to the default policy.
register_permission_policy(ContactMessage, MessagePermissionPolicy(ContactMessage))


@hooks.register("register_admin_viewset")
def register_message_viewset():
    return message_viewset


@hooks.register("register_admin_viewset")
def register_ready_answer_viewset():
    return ready_answer_viewset


hooks.register("construct_homepage_panels", add_messages_panel)
