from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat, Substr

ARTWORK = "Certificate artwork"
TRAINING_MEDIA = "Training media"
STAFF_GROUPS = ("Staff", "Country coordinators")
TRAINER_GROUPS = ("Trainers", "Lead trainers")
ARTWORK_PERMISSIONS = ["add_image", "change_image", "choose_image"]
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
CHOOSE = {"wagtailimages": ("image", "choose_image"), "wagtaildocs": ("document", "choose_document")}


def _permission(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": codename.replace("_", " ")}
    )
    return permission


def _step(number: int) -> str:
    """A step of a treebeard path: four base-36 digits ("0009", then "000A")."""
    step = ""
    for _ in range(4):
        number, digit = divmod(number, 36)
        step = ALPHABET[digit] + step
    return step


def _top_collection(Collection, root, name):
    """The collection called `name` just below the root, added if missing where treebeard would add
    it: Wagtail keeps collections' siblings in the order of their names (`node_order_by`), and adds
    the next one by shifting the later siblings, which works only if their paths are in that order.
    So the later siblings (and what is below them) move one step on, last first, and the new one
    takes the freed place."""
    found = Collection.objects.filter(name=name, depth=2).first()
    if found is not None:
        return found
    siblings = list(Collection.objects.filter(depth=2, path__startswith=root.path).order_by("path"))
    later = [sibling for sibling in siblings if sibling.name > name]
    if later:
        place = later[0].path
        for sibling in reversed(later):
            old = sibling.path
            new = root.path + _step(int(old[len(root.path) :], 36) + 1)
            Collection.objects.filter(path__startswith=old).update(
                path=Concat(Value(new), Substr("path", len(old) + 1))
            )
    else:
        place = root.path + _step(max((int(s.path[len(root.path) :], 36) for s in siblings), default=0) + 1)
    collection = Collection.objects.create(name=name, path=place, depth=2, numchild=0)
    root.numchild = Collection.objects.filter(depth=2, path__startswith=root.path).count()
    root.save(update_fields=["numchild"])
    return collection


def keep_certificate_artwork_from_trainers(apps, schema_editor=None):
    """Certificate signatures and logos in a "Certificate artwork" collection that only staff (and
    country coordinators, who hold staff's rights) add, change and choose from; trainers choose from
    "Training media" and every other collection below the root instead of the root itself, which
    includes the artwork (issue 23). Idempotent, and also rebuilds what a test flush removed.

    An image staff had in the root itself stays there: trainers no longer choose it (a lesson that
    uses it keeps it). Trainers uploaded only to "Training media", so none of theirs is affected."""
    Collection = apps.get_model("wagtailcore.Collection")
    Group = apps.get_model("auth.Group")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")
    Image = apps.get_model("wagtailimages.Image")
    CertificateTemplate = apps.get_model("certificates.CertificateTemplate")

    root = Collection.objects.filter(depth=1).first()
    if root is None:
        return
    artwork = _top_collection(Collection, root, ARTWORK)
    _top_collection(Collection, root, TRAINING_MEDIA)

    for name in STAFF_GROUPS:
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        for codename in ARTWORK_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=artwork,
                permission=_permission(apps, "wagtailimages", "image", codename),
            )

    used = set(CertificateTemplate.objects.values_list("signature_image_id", flat=True))
    used |= set(CertificateTemplate.objects.values_list("logo_image_id", flat=True))
    Image.objects.filter(pk__in=used - {None}).exclude(collection=artwork).update(collection=artwork)

    others = Collection.objects.filter(depth=2, path__startswith=root.path).exclude(pk=artwork.pk)
    for name in TRAINER_GROUPS:
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        for app_label, (model, codename) in CHOOSE.items():
            permission = _permission(apps, app_label, model, codename)
            GroupCollectionPermission.objects.filter(
                group=group, collection=root, permission=permission
            ).delete()
            for collection in others:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=collection, permission=permission
                )


def give_trainers_the_root_again(apps, schema_editor):
    """Back to choosing from the root; the collection and its images stay (an image needs one)."""
    Collection = apps.get_model("wagtailcore.Collection")
    Group = apps.get_model("auth.Group")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")
    root = Collection.objects.filter(depth=1).first()
    if root is None:
        return
    for group in Group.objects.filter(name__in=TRAINER_GROUPS):
        for app_label, (model, codename) in CHOOSE.items():
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root, permission=_permission(apps, app_label, model, codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0008_certificate_validity_and_renewal"),
        # The groups and their grants this changes: Wagtail's choose rights on the root (given to
        # every admin group), the trainers' "Training media" and the country coordinators.
        ("courses", "0002_catalog_and_roles"),
        ("volunteers", "0010_country_coordinators"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(keep_certificate_artwork_from_trainers, give_trainers_the_root_again)]
