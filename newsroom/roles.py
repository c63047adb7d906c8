"""The newsroom's two roles, as Django groups with their permissions.

Writers draft, upload pictures and submit for review; editors do everything in the newsroom,
including publishing. Each app's data migration grants its own permissions through
`roles_grant`, so the groups exist and are complete after `migrate`.
"""

WRITERS = "Writers"
EDITORS = "Editors"


def is_writer_only(user) -> bool:
    """A staff member who may write but not publish."""
    return not user.has_perm("articles.publish_article")


def roles_grant(apps, grants: dict[str, list[str]]) -> None:
    """Give groups permissions named "app_label.codename", creating groups and permissions."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for group_name, names in grants.items():
        group, _ = group_model.objects.get_or_create(name=group_name)
        for name in names:
            app_label, codename = name.split(".")
            group.permissions.add(
                permission_model.objects.get(content_type__app_label=app_label, codename=codename)
            )
