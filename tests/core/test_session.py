from bot import session


def test_channel_sets_org():
    d = session.decide_org(None, None, from_channel="grange-primary")
    assert (d.org, d.source) == ("grange-primary", "channel")


def test_typed_payload_cannot_move_a_channel_set_conversation():
    d = session.decide_org("grange-primary", "channel", chosen_by_user="west-kent")
    assert d.org == "grange-primary" and d.refused


def test_user_may_choose_and_change_their_own_choice():
    d = session.decide_org("grange-primary", "user", chosen_by_user="west-kent")
    assert d.org == "west-kent" and not d.refused


def test_unknown_org_is_refused_clearly():
    d = session.decide_org(None, None, chosen_by_user="nowhere")
    assert d.org is None and "nowhere" in d.refused


def test_metadata_with_unknown_org_is_ignored():
    assert session.org_from_metadata({"org": "<script>"}) is None
    assert session.org_from_metadata({"org": "missing-link"}) == "missing-link"


def test_org_typed_by_name_is_understood():
    assert session.decide_org(None, None, chosen_by_user="Missing Link").org == "missing-link"
    assert session.decide_org(None, None, chosen_by_user="grange primary").org == "grange-primary"


def test_only_a_telegram_message_names_a_chat_to_reply_to():
    from bot.session import reply_to
    assert reply_to({"telegram_chat": "123456"}, "telegram") == "123456"
    assert reply_to({"telegram_chat": -100123}, "telegram") == "-100123"
    assert reply_to({"telegram_chat": "123456"}, "rest") is None          # a REST client can't point us at a chat
    assert reply_to({"telegram_chat": "@someone"}, "telegram") is None
    assert reply_to({}, "telegram") is None
