# The alerts app takes over the tables that accounts and articles made for it: state only.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0004_alert_subscribers_have_their_own_app'),
        ('articles', '0010_alerts_have_their_own_app'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.CreateModel(
            name='Subscriber',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('email', models.EmailField(max_length=254, unique=True, verbose_name='email')),
                ('state', models.CharField(choices=[('pending', 'Pending confirmation'), ('confirmed', 'Confirmed'), ('unsubscribed', 'Unsubscribed'), ('bounced', 'Bounced')], db_index=True, default='pending', max_length=12, verbose_name='state')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='signed up')),
                ('confirmation_sent_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='confirmed')),
                ('left_at', models.DateTimeField(blank=True, null=True, verbose_name='unsubscribed or bounced')),
                ('bounce_reason', models.CharField(blank=True, max_length=300, verbose_name='bounce reason')),
                ('user', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='alert_subscription', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'db_table': 'accounts_subscriber',
                'verbose_name': 'alert subscriber',
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='Alert',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='requested')),
                ('planned', models.PositiveIntegerField(default=0, verbose_name='planned')),
                ('planned_at', models.DateTimeField(blank=True, null=True, verbose_name='planned at')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished')),
                ('article', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='alert', to='articles.article', verbose_name='article')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL, verbose_name='sent by')),
            ],
            options={
                'db_table': 'articles_alert',
                'verbose_name': 'breaking alert',
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='Delivery',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('state', models.CharField(choices=[('pending', 'Pending'), ('sent', 'Sent'), ('failed', 'Failed')], default='pending', max_length=8)),
                ('attempts', models.PositiveSmallIntegerField(default=0)),
                ('claimed_until', models.DateTimeField(blank=True, null=True)),
                ('sent_at', models.DateTimeField(blank=True, null=True)),
                ('error', models.CharField(blank=True, max_length=300)),
                ('alert', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='alerts.alert')),
                ('subscriber', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='alerts.subscriber')),
            ],
            options={
                'db_table': 'articles_delivery',
                'verbose_name_plural': 'deliveries',
                'indexes': [models.Index(condition=models.Q(('state', 'pending')), fields=['alert', 'id'], name='delivery_pending')],
                'constraints': [models.UniqueConstraint(fields=('alert', 'subscriber'), name='unique_delivery')],
            },
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations, database_operations=[]),
    ]
