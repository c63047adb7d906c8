from django.db import migrations

from newsroom.roles import EDITORS, roles_grant


def grant(apps, schema_editor):
    roles_grant(
        apps,
        {
            EDITORS: [
                "paywall.add_paywallsettings",
                "paywall.change_paywallsettings",
                "paywall.view_paywallsettings",
                "paywall.view_funnelday",
                "paywall.add_donor",
                "paywall.change_donor",
                "paywall.delete_donor",
                "paywall.view_donor",
            ]
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("paywall", "0001_initial"),
        ("articles", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
