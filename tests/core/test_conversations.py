from bot.concerns.conversations import REMOVED, forget_filed_words


def dialogue(filed: bool) -> dict:
    events = [
        {"event": "user", "text": "a boy told me his dad burns him", "parse_data": {"text": "a boy told me his dad burns him",
                                                                                   "intent": {"name": "disclosure"}, "entities": []}},
        {"event": "slot", "name": "org", "value": "west-kent"},
        {"event": "slot", "name": "child_words", "value": "dad burns me with cigs"},
        {"event": "bot", "text": "Child's words: dad burns me with cigs"},
    ]
    if filed:
        events.append({"event": "slot", "name": "last_reference", "value": "SG-2026-000001"})
    events.append({"event": "user", "text": "thanks", "parse_data": {"text": "thanks", "entities": []}})
    return {"name": "s", "events": events}


def test_nothing_is_removed_before_filing():
    assert forget_filed_words(dialogue(False)) == dialogue(False)


def test_words_before_filing_are_removed_and_the_rest_kept():
    events = forget_filed_words(dialogue(True))["events"]
    flat = str(events)
    assert "burns" not in flat and "cigs" not in flat
    assert events[0]["text"] == REMOVED and events[0]["parse_data"]["intent"]["name"] == "disclosure"
    assert events[1]["value"] == "west-kent"                 # the organisation stays
    assert events[-1]["text"] == "thanks"                     # after filing: untouched


def test_forget_deletes_one_conversation_and_keeps_the_others():
    from bot.concerns.conversations import default_vault
    vault = default_vault()
    vault.put("worker-a", dialogue(False))
    vault.put("worker-b", dialogue(False))
    assert vault.forget("worker-a") is True
    assert vault.get("worker-a") is None and vault.get("worker-b") is not None
    assert list(vault.senders()) == ["worker-b"]
    assert vault.forget("worker-a") is False          # again, or never there: nothing to do
