"""Moderation's models, taken over from the comments app with their tables and rows."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('comments', '0006_moderation_moves_out'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables exist already (made by the comments app's migrations, with these names):
        # only Django's state learns that this app owns them.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ModerationEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('actor_name', models.CharField(blank=True, max_length=150)),
                        ('kind', models.CharField(choices=[('screened', 'Screened when posted'), ('rescreened', 'Screened again after an edit'), ('decided', 'Decision by an editor'), ('reported', 'Sent back into review by reports'), ('featured', 'Featured'), ('unfeatured', 'No longer featured'), ('withdrawn', 'Deleted by its author')], max_length=20)),
                        ('from_status', models.CharField(blank=True, max_length=20)),
                        ('to_status', models.CharField(max_length=20)),
                        ('reasons', models.JSONField(blank=True, default=list)),
                        ('note', models.TextField(blank=True)),
                        ('waited', models.DurationField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('actor', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('comment', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='events', to='comments.comment')),
                    ],
                    options={
                        'db_table': 'comments_moderationevent',
                        'ordering': ['created_at', 'pk'],
                        'indexes': [models.Index(fields=['comment', 'created_at'], name='event_comment_idx'), models.Index(fields=['kind', 'created_at'], name='event_kind_idx')],
                    },
                ),
                migrations.CreateModel(
                    name='ModerationSettings',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('banned_terms', models.TextField(blank=True, help_text='One word or phrase per line. A comment using one is rejected (whole words, any case or accents, simple letter swaps such as 4 for a).')),
                        ('suspect_terms', models.TextField(blank=True, help_text='One word or phrase per line. A comment using one waits for an editor.')),
                        ('max_links', models.PositiveSmallIntegerField(blank=True, default=2, help_text='A comment with more links than this waits for an editor. Empty: no limit.', null=True)),
                        ('hold_new_readers', models.BooleanField(default=True, help_text='Hold comments by readers with no approved comment yet (or who lost their trust: as many rejected comments as approved ones, or more).')),
                        ('toxicity_threshold', models.FloatField(blank=True, default=0.8, help_text='Hold a comment whose toxicity score (0 to 1) is at least this. Empty: off.', null=True)),
                        ('duplicate_minutes', models.PositiveIntegerField(default=60, help_text='Refuse the same text from the same reader within this many minutes. 0: off.')),
                        ('max_per_minute', models.PositiveSmallIntegerField(default=5, help_text="Refuse a reader's comment beyond this many in one minute. 0: no limit.")),
                        ('rejection_ratio', models.FloatField(blank=True, default=0.3, help_text='Hold the comments of a reader whose comments were rejected more than this share of the time (0 to 1) over the period below. Empty: off.', null=True)),
                        ('rejection_days', models.PositiveSmallIntegerField(default=7, help_text='The period, in days, for the rejection share.')),
                        ('report_threshold', models.PositiveSmallIntegerField(default=6, help_text="Report weight that sends an approved comment back into review. A report weighs 1 from a new account, 2 from a reader, 3 from a trusted reader (so 3 readers' reports by default). 0: reports never hide a comment by themselves.")),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'moderation settings',
                        'verbose_name_plural': 'moderation settings',
                        'db_table': 'comments_moderationsettings',
                        'constraints': [models.CheckConstraint(condition=models.Q(('pk', 1)), name='moderationsettings_singleton'), models.CheckConstraint(condition=models.Q(('toxicity_threshold__isnull', True), models.Q(('toxicity_threshold__gt', 0), ('toxicity_threshold__lte', 1)), _connector='OR'), name='moderationsettings_toxicity_0_1'), models.CheckConstraint(condition=models.Q(('rejection_ratio__isnull', True), models.Q(('rejection_ratio__gte', 0), ('rejection_ratio__lt', 1)), _connector='OR'), name='moderationsettings_ratio_0_1')],
                    },
                ),
                migrations.CreateModel(
                    name='ModeratorNote',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('text', models.TextField(max_length=2000)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='moderator_notes', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'comments_moderatornote',
                        'ordering': ['-created_at', '-pk'],
                        'indexes': [models.Index(fields=['user', '-created_at'], name='moderatornote_user_idx')],
                    },
                ),
                migrations.CreateModel(
                    name='Sanction',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('warn', 'Warning'), ('suspend', 'Suspension'), ('ban', 'Ban'), ('premoderate', 'Always pre-moderate'), ('trust', 'Trusted (skips pre-moderation)')], max_length=20)),
                        ('reason', models.TextField(blank=True, max_length=1000)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('ends_at', models.DateTimeField(blank=True, help_text='Suspensions only.', null=True)),
                        ('acknowledged_at', models.DateTimeField(blank=True, help_text='Warnings only.', null=True)),
                        ('lifted_at', models.DateTimeField(blank=True, null=True)),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('lifted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sanctions', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'comments_sanction',
                        'ordering': ['-created_at', '-pk'],
                        'indexes': [models.Index(fields=['user', 'lifted_at'], name='sanction_user_idx')],
                        'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('ends_at__isnull', False), ('kind', 'suspend')), models.Q(models.Q(('kind', 'suspend'), _negated=True), ('ends_at__isnull', True)), _connector='OR'), name='sanction_suspension_has_end'), models.CheckConstraint(condition=models.Q(models.Q(('kind__in', ['warn', 'suspend', 'ban']), _negated=True), models.Q(('reason', ''), _negated=True), _connector='OR'), name='sanction_reader_sees_reason')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
