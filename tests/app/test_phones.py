import pytest

from app.phones import PhoneError, display, normalize, try_normalize

SAME = [
    "8 (916) 123-45-67", "+7 916 123 45 67", "9161234567", "79161234567", "89161234567",
    "sip:+79161234567@pbx.local", "tel:+7-916-123-45-67", "sips:89161234567@10.0.0.1:5061;transport=tls",
    '"Ольга" <sip:+79161234567@pbx.local>', "+7 (916) 123.45.67", "007 916 123 45 67",
    "tel:%2B79161234567",
]


@pytest.mark.parametrize("spelling", SAME)
def test_spellings_normalise_to_one_key(spelling):
    assert normalize(spelling) == "+79161234567"


@pytest.mark.parametrize("text,msg", [
    ("", "empty"), ("   ", "empty"), ("hello", "no digits"), ("12", "wrong number of digits"),
    ("+7 916 123", "wrong number of digits"), ("9161234567890123", "wrong number"),
    ("916-DROP TABLE", "unexpected characters"), ("x" * 1000, "too long"), ("sip:@pbx", "empty"),
    ("+999 123 456 789", "not a phone number"),
])
def test_garbage_gets_a_clear_message(text, msg):
    with pytest.raises(PhoneError) as e:
        normalize(text)
    assert msg in str(e.value)
    assert try_normalize(text) is None


def test_region_decides_national_numbers():
    assert normalize("020 7946 0958", region="GB") == "+442079460958"
    assert normalize("+44 20 7946 0958", region="RU") == "+442079460958"


def test_display_is_international():
    assert display("+79161234567") == "+7 916 123-45-67"
