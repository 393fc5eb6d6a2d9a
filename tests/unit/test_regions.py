from oversight import regions


def test_seventeen_regions_with_populations():
    assert len(regions.regions()) == 17
    assert sum(r.population for r in regions.regions()) > 50_000_000


def test_legacy_codes_and_names_normalise_to_current_codes():
    assert regions.normalise_region("42") == "51"
    assert regions.normalise_region("45") == "52"
    assert regions.normalise_region(" 전북특별자치도 ") == "52"
    assert regions.normalise_region("gangwon") == "51"
    assert regions.normalise_region("99") is None
