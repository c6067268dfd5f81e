"""Reading a bulk import of vacancies: a CSV file or schema.org `JobPosting` JSON.

The upload form checks the file itself (size, text, format); `import_rows` turns it into one
`ImportRow` per vacancy, each holding the data the API's `VacancyInputSerializer` takes, or
the reasons the row could not even be read. The view validates and saves each row.
"""

import csv
import datetime
import html
import io
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from college.models import LANGUAGE_CODES, RequirementStage, Role

MAX_IMPORT_BYTES = 1024 * 1024
MAX_IMPORT_ROWS = 200
# Bytes that never appear in a text file (NUL and the C0 controls other than tab and breaks).
BINARY_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
SLUG_PATTERN = re.compile(r"[-a-zA-Z0-9_]{1,50}")
# What a slug or a URI may hold; anything else (a NUL in JSON, say) is not looked up.
PRINTABLE_PATTERN = re.compile(r"[!-~]{1,200}")

CSV_TEXT_COLUMNS = (
    "role",
    "title_fr",
    "title_nl",
    "title_en",
    "description_fr",
    "description_nl",
    "description_en",
    "commune",
    "address",
    "contract",
    "hours_per_week",
    "posts",
    "closes_on",
    "salary_min",
    "salary_max",
    "salary_scale",
    "shifts",
    "nights",
    "weekends",
)
CSV_COLUMNS = (*CSV_TEXT_COLUMNS, "languages", "skills")
CSV_REQUIRED_COLUMNS = (
    "role",
    "title_fr",
    "title_nl",
    "description_fr",
    "description_nl",
    "contract",
)
# How the API's field names read in a report about a CSV file or a JobPosting.
CSV_FIELD_NAMES = {"requirements": "skills"}
JOB_POSTING_FIELD_NAMES = {
    "role": "occupationalCategory",
    "title_fr": "title (fr)",
    "title_nl": "title (nl)",
    "title_en": "title (en)",
    "description_fr": "description (fr)",
    "description_nl": "description (nl)",
    "description_en": "description (en)",
    "commune": "jobLocation.address.postalCode",
    "address": "jobLocation.address.streetAddress",
    "contract": "employmentType",
    "posts": "totalJobOpenings",
    "closes_on": "validThrough",
    "salary_min": "baseSalary",
    "salary_max": "baseSalary",
    "requirements": "skills",
}
# schema.org employmentType values, most specific first.
EMPLOYMENT_TYPE_CONTRACTS = (
    ("INTERN", "internship"),
    ("TEMPORARY", "fixed_term"),
    ("CONTRACTOR", "fixed_term"),
    ("PER_DIEM", "fixed_term"),
    ("FULL_TIME", "permanent"),
    ("PART_TIME", "permanent"),
)
CONTRACT_CODES = ("permanent", "fixed_term", "student", "internship")
DEFAULT_IMPORTANCE = "important"
DEFAULT_MIN_LEVEL = 2


@dataclass
class ImportRow:
    """One vacancy of the file: `number` is its line (CSV) or its position (JSON)."""

    number: int
    is_line: bool = True
    data: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    field_names: dict = field(default_factory=dict)

    @property
    def place(self):
        if self.is_line:
            return _("Line %(number)s") % {"number": self.number}
        return _("Item %(number)s") % {"number": self.number}

    def refuse(self, name, message):
        self.errors.append((name, str(message)))

    def label(self, name):
        return self.field_names.get(name, name)


class VacancyImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File to import"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.json,.jsonld,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A CSV file (UTF-8, comma or semicolon separated) or schema.org JobPosting JSON: "
            "1 MB and %(rows)s vacancies at most."
        ) % {"rows": MAX_IMPORT_ROWS}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(
                _("The file is larger than 1 MB: split it into several files."), code="too_big"
            )
        raw = upload.read(MAX_IMPORT_BYTES + 1)
        if len(raw) > MAX_IMPORT_BYTES:
            raise ValidationError(
                _("The file is larger than 1 MB: split it into several files."), code="too_big"
            )
        if BINARY_BYTES.search(raw):
            raise ValidationError(
                _("This is not a text file: export your spreadsheet as CSV (UTF-8) first."),
                code="binary",
            )
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(
                _("The file is not UTF-8 text: save it as “CSV UTF-8” and try again."),
                code="encoding",
            ) from None
        if not text.strip():
            raise ValidationError(_("The file is empty."), code="empty")
        rows = import_rows(text)
        if not rows:
            raise ValidationError(_("The file holds no vacancy."), code="no_rows")
        if len(rows) > MAX_IMPORT_ROWS:
            raise ValidationError(
                _("The file holds more than %(max)s vacancies: split it into several files.")
                % {"max": MAX_IMPORT_ROWS},
                code="too_many",
            )
        return rows


def import_rows(text):
    """The file's vacancies, JSON or CSV by their content; a ValidationError for the file."""
    if text.lstrip()[:1] in ("{", "["):
        return job_posting_rows(text)
    return csv_rows(text)


# --- CSV ---------------------------------------------------------------------------------------


def _delimiter(header_line):
    # Spreadsheets in Belgium often export with semicolons; the header holds no quoted text.
    return max((",", ";", "\t"), key=header_line.count)


def csv_rows(text):
    text = text.lstrip("\r\n")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.splitlines()[0]))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except (StopIteration, csv.Error):
        raise ValidationError(_("The CSV file cannot be read."), code="csv") from None
    unknown = [name for name in header if name and name not in CSV_COLUMNS]
    missing = [name for name in CSV_REQUIRED_COLUMNS if name not in header]
    if unknown or missing:
        problems = []
        if unknown:
            problems.append(_("unknown columns: %(names)s") % {"names": ", ".join(unknown)})
        if missing:
            problems.append(_("missing columns: %(names)s") % {"names": ", ".join(missing)})
        raise ValidationError(
            _("The CSV header does not fit (%(problems)s). Start from the template.")
            % {"problems": "; ".join(problems)},
            code="csv_header",
        )
    rows = []
    line = reader.line_num
    try:
        for cells in reader:
            number, line = line + 1, reader.line_num
            values = dict(zip(header, (cell.strip() for cell in cells), strict=False))
            if not any(values.values()):
                continue
            row = ImportRow(number=number, field_names=CSV_FIELD_NAMES)
            if len(cells) > len(header):
                row.refuse(_("line"), _("This line has more cells than the header has columns."))
            _csv_fill(row, values)
            rows.append(row)
            if len(rows) > MAX_IMPORT_ROWS:
                break
    except csv.Error as error:
        raise ValidationError(
            _("The CSV file cannot be read after line %(line)s (%(error)s).")
            % {"line": line, "error": error},
            code="csv",
        ) from None
    return rows


def _csv_fill(row, values):
    for name in CSV_TEXT_COLUMNS:
        value = values.get(name, "")
        if value:
            row.data[name] = value
    for name in ("salary_min", "salary_max", "posts"):
        if name in row.data:
            row.data[name] = re.sub(r"[\s€]", "", row.data[name])
    if "hours_per_week" in row.data:
        row.data["hours_per_week"] = row.data["hours_per_week"].replace(",", ".")
    if values.get("languages"):
        languages = _csv_languages(row, values["languages"])
        if languages is not None:
            row.data["languages"] = languages
    if values.get("skills"):
        skills = _csv_skills(row, values["skills"])
        if skills is not None:
            row.data["requirements"] = skills


def _items(text):
    return [item.strip() for item in re.split(r"[;\n]", text) if item.strip()]


def _csv_languages(row, text):
    languages = []
    for item in _items(text):
        parts = [part.strip() for part in item.split(":")]
        if len(parts) != 2 or not all(parts):
            row.refuse(
                "languages",
                _("“%(item)s” is not language:level (such as nl:B1).") % {"item": item},
            )
            return None
        languages.append({"language": parts[0].lower(), "cefr": parts[1].upper()})
    return languages


def _csv_skills(row, text):
    skills = []
    for item in _items(text):
        parts = [part.strip() for part in item.split("|")]
        if len(parts) not in (3, 4) or not all(parts):
            row.refuse(
                "skills",
                _(
                    "“%(item)s” is not skill|importance|level, optionally followed by |stage "
                    "(an ESCO URI or id, essential, important or nice_to_have, a level from 1 "
                    "to 4, and entry or training)."
                )
                % {"item": item},
            )
            return None
        skill, importance, level = parts[:3]
        # Without a stage, a skill is asked at entry, as in the editor and the API.
        stage = parts[3].lower() if len(parts) == 4 else RequirementStage.ENTRY
        if stage not in RequirementStage.values:
            row.refuse(
                "skills",
                _(
                    "“%(stage)s” is not a stage: write entry (required at entry) or training "
                    "(learned in training after hiring)."
                )
                % {"stage": parts[3]},
            )
            return None
        skills.append(
            {"skill": skill, "importance": importance.lower(), "min_level": level, "stage": stage}
        )
    return skills


# --- schema.org JobPosting JSON ----------------------------------------------------------------


def job_posting_rows(text):
    try:
        document = json.loads(text)
    except RecursionError:
        raise ValidationError(_("The JSON is nested too deeply."), code="json") from None
    except json.JSONDecodeError as error:
        raise ValidationError(
            _("The JSON cannot be read: %(error)s (line %(line)s, column %(column)s).")
            % {"error": error.msg, "line": error.lineno, "column": error.colno},
            code="json",
        ) from None
    in_graph = isinstance(document, dict) and isinstance(document.get("@graph"), list)
    if in_graph:
        items = document["@graph"]
    elif isinstance(document, list):
        items = document
    elif isinstance(document, dict):
        items = [document]
    else:
        raise ValidationError(
            _("Give one JobPosting object, a list of them or an @graph."), code="json"
        )
    rows = []
    for number, item in enumerate(items, start=1):
        is_posting = isinstance(item, dict) and "JobPosting" in _as_list(item.get("@type"))
        if in_graph and not is_posting:
            # A graph also describes the organisation and places the postings refer to.
            continue
        row = ImportRow(number=number, is_line=False, field_names=JOB_POSTING_FIELD_NAMES)
        if not is_posting:
            row.refuse("@type", _("This item is not a schema.org JobPosting."))
        else:
            _job_posting_fill(row, item)
        rows.append(row)
        if len(rows) > MAX_IMPORT_ROWS:
            break
    return rows


def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _first(value):
    values = _as_list(value)
    return values[0] if values else None


def _plain_text(value):
    text = re.sub(r"(?i)<br\s*/?>|</p>|</li>", "\n", value)
    text = html.unescape(strip_tags(text))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _language_of(code):
    code = str(code or "").strip().lower()[:2]
    return code if code in LANGUAGE_CODES else None


def _translations(value, in_language):
    """{language: text} from a string, a language map or JSON-LD `@value`/`@language` items."""
    if isinstance(value, str):
        if in_language:
            return {in_language: value}
        # No language given: the text stands for both official languages of Brussels.
        return {"fr": value, "nl": value}
    if isinstance(value, dict) and "@value" not in value:
        return {
            _language_of(code): text
            for code, text in value.items()
            if _language_of(code) and isinstance(text, str)
        }
    texts = {}
    for item in _as_list(value):
        if isinstance(item, dict) and isinstance(item.get("@value"), str):
            code = _language_of(item.get("@language")) or in_language
            if code:
                texts[code] = item["@value"]
    return texts


def _job_posting_fill(row, posting):
    in_language = _language_of(_first(posting.get("inLanguage")))
    role = _job_posting_role(row, posting)
    if role is not None:
        row.data["role"] = role.slug
    for name in ("title", "description"):
        for code, text in _translations(posting.get(name), in_language).items():
            row.data[f"{name}_{code}"] = _plain_text(text) if name == "description" else text
    closes_on = _closing_date(posting.get("validThrough"))
    if closes_on is not None:
        row.data["closes_on"] = closes_on
    address = _first(posting.get("jobLocation"))
    address = address.get("address") if isinstance(address, dict) else None
    address = _first(address)
    if isinstance(address, dict):
        if address.get("postalCode") is not None:
            row.data["commune"] = address["postalCode"]
        if address.get("streetAddress"):
            row.data["address"] = address["streetAddress"]
    contract = _contract(row, posting)
    if contract:
        row.data["contract"] = contract
    if posting.get("totalJobOpenings") is not None:
        row.data["posts"] = posting["totalJobOpenings"]
    _salary(row, posting.get("baseSalary"))
    if posting.get("skills") is not None:
        skills = _job_posting_skills(row, posting["skills"], role)
        if skills is not None:
            row.data["requirements"] = skills


def _job_posting_role(row, posting):
    slug = posting.get("passerelle:role")
    if isinstance(slug, str) and slug.strip():
        slug = slug.strip()
        role = Role.objects.filter(slug=slug).first() if SLUG_PATTERN.fullmatch(slug) else None
        if role is None:
            row.refuse("passerelle:role", _("There is no role with this slug."))
        return role
    categories = []
    for category in _as_list(posting.get("occupationalCategory")):
        if isinstance(category, dict):
            category = category.get("codeValue") or category.get("@id")
        if isinstance(category, str) and PRINTABLE_PATTERN.fullmatch(category.strip()):
            categories.append(category.strip())
    if not categories:
        row.refuse(
            "occupationalCategory",
            _(
                "Name the role: passerelle:role (its slug) or occupationalCategory (its ESCO "
                "URI or slug)."
            ),
        )
        return None
    roles = list(Role.objects.filter(esco_uri__in=categories)) or list(
        Role.objects.filter(slug__in=categories)
    )
    if len(roles) != 1:
        row.refuse(
            "occupationalCategory",
            _("More than one role has this ESCO URI: name it with passerelle:role.")
            if roles
            else _("No role has this ESCO URI or slug."),
        )
        return None
    return roles[0]


def _closing_date(value):
    if not isinstance(value, str):
        return value
    try:
        moment = parse_datetime(value.strip())
        day = moment.date() if moment else parse_date(value.strip())
    except ValueError:
        day = None
    # Anything else goes to the serializer, which says what is wrong with it.
    return day.isoformat() if isinstance(day, datetime.date) else value


def _contract(row, posting):
    own = posting.get("passerelle:contract")
    if own is not None:
        return own
    types = [str(value).strip().upper() for value in _as_list(posting.get("employmentType"))]
    for value in types:
        if value.lower() in CONTRACT_CODES:
            return value.lower()
    for employment_type, contract in EMPLOYMENT_TYPE_CONTRACTS:
        if employment_type in types:
            return contract
    if types:
        row.refuse(
            "employmentType",
            _(
                "%(types)s says nothing of the contract: add FULL_TIME, TEMPORARY or INTERN, "
                "or passerelle:contract (permanent, fixed_term, student or internship)."
            )
            % {"types": ", ".join(types)},
        )
    return None


def _amount(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float, str)):
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            return value
        if not number.is_finite():
            return value
        return int(number) if number == number.to_integral_value() else value
    return value


def _salary(row, salary):
    salary = _first(salary)
    if salary is None:
        return
    if not isinstance(salary, dict):
        row.refuse("baseSalary", _("Give baseSalary as a MonetaryAmount."))
        return
    currency = str(salary.get("currency") or "EUR").upper()
    value = salary.get("value")
    if not isinstance(value, dict):
        value = {"value": value}
    unit = str(value.get("unitText") or "MONTH").upper()
    if currency != "EUR" or unit != "MONTH":
        row.refuse("baseSalary", _("Give the gross monthly salary in euros (EUR, MONTH)."))
        return
    low = value.get("minValue", value.get("value"))
    high = value.get("maxValue", value.get("value"))
    if low is not None:
        row.data["salary_min"] = _amount(low)
    if high is not None:
        row.data["salary_max"] = _amount(high)


def _skill_uri(term):
    if isinstance(term, str):
        return term.strip()
    if isinstance(term, dict):
        for key in ("@id", "url", "sameAs", "termCode", "identifier"):
            value = term.get(key)
            if isinstance(value, str) and value.strip().startswith(("http://", "https://")):
                return value.strip()
    return None


def _job_posting_skills(row, value, role):
    # schema.org says nothing of importance or level: the role's, when it asks for the skill.
    by_role = {}
    if role is not None:
        by_role = {
            requirement.skill.esco_uri: requirement
            for requirement in role.requirements.select_related("skill")
        }
    skills = []
    for term in _as_list(value):
        uri = _skill_uri(term)
        if not uri or not uri.startswith(("http://", "https://")):
            row.refuse("skills", _("Give each skill as a DefinedTerm with its ESCO URI."))
            return None
        requirement = by_role.get(uri)
        options = term if isinstance(term, dict) else {}
        skills.append(
            {
                "skill": uri,
                "importance": options.get(
                    "passerelle:importance",
                    requirement.importance if requirement else DEFAULT_IMPORTANCE,
                ),
                "min_level": options.get(
                    "passerelle:minLevel",
                    requirement.target_level if requirement else DEFAULT_MIN_LEVEL,
                ),
                # Taught after hiring when the role's school teaches it, unless said otherwise.
                "stage": options.get(
                    "passerelle:stage", requirement.stage if requirement else "entry"
                ),
            }
        )
    return skills
