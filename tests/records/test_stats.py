"""The sample records reproduce the figures on the department's public page exactly."""

import json

import pytest

PUBLISHED_PARTNERS = {"JP": 34, "KR": 18, "CN": 17, "US": 12, "TW": 9, "RU": 8, "TR": 5}
PUBLISHED_TITLES_BY_COUNTRY = {"JP": 57, "KR": 29, "CN": 8}


@pytest.fixture(scope="module")
def figures():
    from click.testing import CliRunner

    from irdocs.cli import main
    from tests.conftest import SAMPLE

    result = CliRunner().invoke(main, ["stats", "--json", "--records", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize(("country", "count"), PUBLISHED_PARTNERS.items())
def test_partner_organizations_by_country(figures, country, count):
    assert figures["partners_by_country"][country] == count


def test_more_than_120_organizations_in_22_countries(figures):
    assert figures["partner_organizations"] > 120
    assert figures["partner_organizations_rounded"] == 120
    assert figures["partner_countries"] == 22


def test_195_titles_by_kind(figures):
    assert figures["titles"] == 195
    assert figures["titles_by_kind"] == {"honorary-doctorate": 37, "honorary-professor": 98, "visiting-professor": 60}


def test_titles_since_1978_to_20_countries(figures):
    assert figures["titles_since"] == 1978
    assert figures["title_countries"] == 20


@pytest.mark.parametrize(("country", "count"), PUBLISHED_TITLES_BY_COUNTRY.items())
def test_titles_by_country(figures, country, count):
    assert figures["titles_by_country"][country] == count


def test_drafts_are_not_counted(sample_records):
    from irdocs.records.stats import overview

    drafts = [a for a in sample_records.agreements if a.status == "draft"]
    assert drafts, "the sample has a draft agreement"
    draft_only = {p for a in drafts for p in a.partners} - {p for a in sample_records.agreements if a.status != "draft" for p in a.partners}
    figures = overview(sample_records)
    assert figures.partner_organizations == len(sample_records.partners) - len(draft_only)


def test_seed_partners_are_in_the_sample(sample_records):
    names = {p.name for p in sample_records.partners}
    for name in [
        "Yonsei University",
        "Tianjin University of Traditional Chinese Medicine",
        "Harvard Medical School",
        "University of Georgia",
        "Hankuk University",
        "Jeju International University",
        "New Tokyo University",
        "Government of the Republic of Austria",
    ]:
        assert name in names
    yonsei = sample_records.agreements_by_id["yonsei-cooperation-1993"]
    assert yonsei.signed_on.year == 1993
    multi = sample_records.agreements_by_id["human-medicine-2plus4-2021"]
    assert len(multi.partners) == 2 and multi.programmes[0].scheme == "2+4"
    austria = sample_records.agreements_by_id["austria-equipment-project"]
    assert austria.funding.amount == 7500000 and austria.funding.currency == "EUR"


def test_stats_table_is_readable(run, sample_dir):
    result = run("stats", "--records", str(sample_dir))
    assert result.exit_code == 0
    assert "Japan (JP)" in result.stdout and "195" in result.stdout


def test_lookups_by_partner_give_what_a_search_would(sample_records):
    """agreements_of and honorees_of are index lookups (a build plans a sheet per partner): same answers, same order."""
    with_honorees = 0
    for partner in sample_records.partners:
        assert sample_records.agreements_of(partner.id) == [a for a in sample_records.agreements if partner.id in a.partners]
        honorees = [h for h in sample_records.honorees if h.partner == partner.id]
        assert sample_records.honorees_of(partner.id) == honorees
        with_honorees += bool(honorees)
    assert with_honorees >= 10 and sample_records.agreements_of("no-such-partner") == []


def test_build_workers_get_only_what_their_kind_needs(sample_records):
    from irdocs.build import worker_records

    certificates = worker_records("certificates", sample_records)
    assert certificates.institution == sample_records.institution and not (certificates.honorees or certificates.partners or certificates.agreements)
    agreements = worker_records("agreements", sample_records)
    assert agreements.partners == sample_records.partners and not (agreements.honorees or agreements.agreements)
    assert worker_records("factsheets", sample_records) is sample_records
