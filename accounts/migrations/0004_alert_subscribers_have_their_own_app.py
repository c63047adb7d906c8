# Alert subscribers moved to the alerts app; their table stays as it is.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_reader_profile'),
        ('articles', '0010_alerts_have_their_own_app'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Subscriber')],
            database_operations=[],
        ),
    ]
