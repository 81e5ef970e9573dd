"""Moderation's four models move to the moderation app: their rows and tables stay where they are.

Only Django's idea of which app owns them changes here (state operations, nothing runs on the
database); moderation's migration 0001 takes them over with the same tables (`db_table`), and its
0002 moves their content types and permissions along. Comments lose the `moderate_comment`
permission: the editors' one policy is accounts.roles.is_editor.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0005_moderation_permissions_and_audit_guard"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='comment',
            options={'ordering': ['created_at', 'pk']},
        ),
        migrations.AlterField(
            model_name='comment',
            name='body_html',
            field=models.TextField(editable=False, help_text='Sanitised HTML, made once by the service that stores the text (markup.sanitize.render_comment).'),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='moderationsettings',
                    name='updated_by',
                ),
                migrations.RemoveField(
                    model_name='moderatornote',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='moderatornote',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='sanction',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='sanction',
                    name='lifted_by',
                ),
                migrations.RemoveField(
                    model_name='sanction',
                    name='user',
                ),
                migrations.DeleteModel(
                    name='ModerationEvent',
                ),
                migrations.DeleteModel(
                    name='ModerationSettings',
                ),
                migrations.DeleteModel(
                    name='ModeratorNote',
                ),
                migrations.DeleteModel(
                    name='Sanction',
                ),
            ],
            database_operations=[],
        ),
    ]
