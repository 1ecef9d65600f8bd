"""Trigram GIN index on ProcedureVersion.search_text, for typo-tolerant search on PostgreSQL only.

SQLite has no pg_trgm: there the operations do nothing and search uses icontains on the folded column.
"""

from django.db import migrations

INDEX = "catalog_version_search_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON catalog_procedureversion USING gin (search_text gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
