"""search_text is now padded with one space on each side (whole-word LIKE); recompute the stored values."""

from django.db import migrations

from cchc.core.folding import fold


def recompute(apps, schema_editor):
    ProcedureVersion = apps.get_model("catalog", "ProcedureVersion")
    for version in ProcedureVersion.objects.select_related("procedure", "field").iterator():
        field_name = version.field.name if version.field_id else ""
        text = f" {fold(f'{version.name} {version.procedure.code} {field_name}')} "
        ProcedureVersion.objects.filter(pk=version.pk).update(search_text=text)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_agency_folded")]
    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
