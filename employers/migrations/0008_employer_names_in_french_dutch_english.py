from django.db import migrations, models


def _zone_name(zone, language):
    # The seed's naming: the zone's official name, with its usual short name where the French
    # name does not already hold it ("Zone de police Uccle/…/Auderghem (Marlow)"); a short
    # name the French name holds is a French word ("Midi"), not added to the others.
    name = getattr(zone, f"name_{language}")
    short = zone.short_name.casefold()
    if not name or short in zone.name_fr.casefold() or short in name.casefold():
        return name
    return f"{name} ({zone.short_name})"


def fill_zone_names(apps, schema_editor):
    """A police zone's organisation takes the zone's official Dutch and English names.

    Only where its name is the zone's French one (as the seed gives it): a name someone
    chose by hand says something the zone's names may not, and is left for the admin.
    Sources: college/data/police_zones.csv, from shared/data/brussels/police_zones.csv.
    """
    Employer = apps.get_model("employers", "Employer")
    for employer in Employer.objects.filter(police_zone__isnull=False).select_related(
        "police_zone"
    ):
        zone = employer.police_zone
        if employer.name_fr not in {zone.name_fr, _zone_name(zone, "fr")}:
            continue
        employer.name_nl = employer.name_nl or _zone_name(zone, "nl")
        employer.name_en = employer.name_en or _zone_name(zone, "en")
        employer.save(update_fields=["name_nl", "name_en"])


class Migration(migrations.Migration):
    dependencies = [
        ("college", "0007_admin_labels"),
        ("employers", "0007_application_notes_and_invitations"),
    ]

    operations = [
        migrations.RenameField(model_name="employer", old_name="name", new_name="name_fr"),
        migrations.AlterField(
            model_name="employer",
            name="name_fr",
            field=models.CharField(
                help_text="The official French name, or the organisation's only name.",
                max_length=200,
                verbose_name="name (French)",
            ),
        ),
        migrations.AddField(
            model_name="employer",
            name="name_nl",
            field=models.CharField(
                blank=True,
                help_text="The official Dutch name; empty when the organisation has only one name.",
                max_length=200,
                verbose_name="name (Dutch)",
            ),
        ),
        migrations.AddField(
            model_name="employer",
            name="name_en",
            field=models.CharField(
                blank=True,
                help_text="Only where the English name differs from the French one.",
                max_length=200,
                verbose_name="name (English)",
            ),
        ),
        migrations.AlterModelOptions(
            name="employer",
            options={
                "ordering": ["name_fr"],
                "verbose_name": "employer",
                "verbose_name_plural": "employers",
            },
        ),
        migrations.RunPython(fill_zone_names, migrations.RunPython.noop),
    ]
