"""PostgreSQL: a GIN full-text index over the folded search_text ('simple' dictionary, no stemming).

Whole-word search for every query word is then an index look-up. SQLite does without: the operations do
nothing there and search uses LIKE on the padded folded column.
"""

from django.db import migrations

INDEX = "catalog_version_search_fts"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON catalog_procedureversion "
        "USING gin (to_tsvector('simple'::regconfig, search_text))"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_search_text_padded")]
    operations = [migrations.RunPython(forwards, backwards)]
