# The alert and its delivery ledger moved to the alerts app; their tables stay as they are.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0009_editors_curate_front_and_pages'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='Delivery'),
                migrations.DeleteModel(name='Alert'),
            ],
            database_operations=[],
        ),
    ]
