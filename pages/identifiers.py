"""The association's official numbers: KRS, NIP, REGON and the bank account, checked as typed.

python-stdnum knows the checksums of NIP, REGON and IBAN; the KRS number has no checksum,
only its form (ten digits). Each validator stores the number in one plain form (digits only;
the account as ``PL`` + 26 digits) so templates and JSON-LD can format it as they need.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import iban
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.pl import nip, regon

SEPARATORS = re.compile(r"[\s\-.]")


def digits_of(value):
    return SEPARATORS.sub("", value or "")


def validate_krs(value):
    if not re.fullmatch(r"\d{10}", digits_of(value)):
        raise ValidationError(_("A KRS number has 10 digits, e.g. 0000123456."), code="invalid")


def check_with_stdnum(number_module, number, form_message, checksum_message):
    """python-stdnum's validation of one kind of number, with the editors' messages."""
    try:
        number_module.validate(number)
    except InvalidChecksum:
        raise ValidationError(checksum_message, code="checksum") from None
    except StdnumError:
        raise ValidationError(form_message, code="invalid") from None


def validate_nip(value):
    check_with_stdnum(
        nip,
        digits_of(value).upper().removeprefix("PL"),
        _("A NIP number has 10 digits."),
        _("This NIP number has a wrong check digit; please check it for a typo."),
    )


def validate_regon(value):
    check_with_stdnum(
        regon,
        digits_of(value),
        _("A REGON number has 9 or 14 digits."),
        _("This REGON number has a wrong check digit; please check it for a typo."),
    )


def normalise_account(value):
    """A Polish account number as an IBAN (``PL`` + 26 digits); a bare NRB gets the ``PL``."""
    number = digits_of(value).upper()
    if re.fullmatch(r"\d{26}", number):
        number = "PL" + number
    return number


def validate_bank_account(value):
    number = normalise_account(value)
    # Checked here first: python-stdnum reports any malformed IBAN as a wrong checksum.
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", number):
        raise ValidationError(
            _("Enter the account number: 26 digits (NRB), or an IBAN starting with PL."),
            code="invalid",
        )
    check_with_stdnum(
        iban,
        number,
        _("Enter the account number: 26 digits (NRB), or an IBAN starting with PL."),
        _("This account number has wrong check digits; please check it for a typo."),
    )


def grouped_account(value):
    """The account as people copy it from a bank statement: "61 1090 1014 0000 …"."""
    number = normalise_account(value)
    if number.startswith("PL"):
        number = number[2:]
        return " ".join([number[:2]] + [number[i : i + 4] for i in range(2, len(number), 4)])
    return iban.format(number)
