"""The association's public record: typed once in the settings, shown in the footer, the data
page, the support page and the data for search engines."""

import json

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from wagtail.models import Site

from pages.models import AssociationDataPage, AssociationSettings, SupportPage

VALID = {
    "krs": "0000123456",
    "nip": "526-104-08-28",
    "regon": "012100784",
    "bank_account": "61 1090 1014 0000 0712 1981 2874",
    "phone": "85 123 45 67",
    "facebook_url": "https://www.facebook.com/placnzs",
    "instagram_url": "https://www.instagram.com/placnzs",
}


def fill_public_record(**overrides):
    association = AssociationSettings.for_site(Site.objects.get(is_default_site=True))
    for field, value in {**VALID, **overrides}.items():
        setattr(association, field, value)
    association.full_clean()
    association.save()
    return association


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("nip", "5261040829", "Numer NIP ma błędną cyfrę kontrolną"),
        ("nip", "52610408", "Numer NIP ma 10 cyfr"),
        ("regon", "012100785", "Numer REGON ma błędną cyfrę kontrolną"),
        ("krs", "12345", "Numer KRS ma 10 cyfr"),
        ("bank_account", "62 1090 1014 0000 0712 1981 2874", "błędne cyfry kontrolne"),
    ],
)
def test_a_mistyped_number_gets_a_polish_message(association_content, field, value, message):
    with pytest.raises(ValidationError) as error:
        fill_public_record(**{field: value})
    assert message in " ".join(error.value.message_dict[field])


def test_numbers_are_kept_in_one_plain_form(association_content):
    association = fill_public_record()
    association.refresh_from_db()
    assert association.nip == "5261040828"
    assert association.bank_account == "PL61109010140000071219812874"
    assert association.bank_account_grouped == "61 1090 1014 0000 0712 1981 2874"
    assert association.phone_link == "+48851234567"


def test_footer_shows_the_identifiers_and_profiles(client, association_content):
    fill_public_record()
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    footer = soup.find("footer")
    record = {dt.text: dt.find_next("dd").text for dt in footer.select(".public-record dt")}
    assert record == {"KRS": "0000123456", "NIP": "5261040828", "REGON": "012100784"}
    assert [a["href"] for a in footer.select(".social-links a")] == [
        VALID["facebook_url"],
        VALID["instagram_url"],
    ]
    assert footer.select_one("a[href^='tel:']")["href"] == "tel:+48851234567"


def test_search_engines_get_the_identifiers(client, association_content):
    fill_public_record()
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["taxID"] == "5261040828"
    assert {i["propertyID"]: i["value"] for i in data["identifier"]} == {
        "KRS": "0000123456",
        "REGON": "012100784",
    }
    assert data["sameAs"] == [VALID["facebook_url"], VALID["instagram_url"]]
    assert data["logo"].startswith("http://")


def test_support_page_shows_the_account_and_the_tax_krs_for_an_opp(client, association_content):
    page = association_content.add_child(
        instance=SupportPage(title="Wesprzyj nas", slug="wesprzyj")
    )
    fill_public_record(is_public_benefit=False)
    soup = BeautifulSoup(client.get(page.url).content, "html.parser")
    assert soup.select_one(".bank-account__number").text == "61 1090 1014 0000 0712 1981 2874"
    assert "Darowizna na cele statutowe" in soup.text
    assert "1,5%" not in soup.text
    fill_public_record(is_public_benefit=True)
    soup = BeautifulSoup(client.get(page.url).content, "html.parser")
    assert "1,5%" in soup.text and "0000123456" in soup.text


def test_data_page_shows_the_record_from_the_settings(client, association_content):
    page = association_content.add_child(instance=AssociationDataPage(title="Dane", slug="dane"))
    fill_public_record()
    soup = BeautifulSoup(client.get(page.url).content, "html.parser")
    main = soup.find("main")
    assert "0000123456" in main.text
    assert main.select_one(".bank-account__number").text.startswith("61 1090")
