from bot.concerns import form


def test_child_words_kept_verbatim_including_html_and_rude_words():
    words = 'he said "don\'t tell mum" <b>and</b> <script>x</script> it f***ing hurt'
    assert form.read_answer("child_words", words) == (words, None)


def test_ten_thousand_characters_are_kept_whole():
    long = "word " * 2000
    value, msg = form.read_answer("observed", long)
    assert msg is None and value == long.strip()


def test_over_limit_asks_to_split_and_loses_nothing_silently():
    value, msg = form.read_answer("observed", "x" * 25_000)
    assert value is None and "two parts" in msg


def test_skip_allowed_only_where_it_may_be():
    assert form.read_answer("others_present", "skip") == (form.NOT_GIVEN, None)
    value, msg = form.read_answer("child_ref", "skip")
    assert value is None and "need this one" in msg


def test_stop_words():
    assert form.is_stop("Stop") and form.is_stop("cancel.")
    assert not form.is_stop("he told me to stop crying")


def test_summary_lists_every_field_and_offers_file_or_change():
    reply = form.summary({"child_ref": "AB, year 4", "child_words": "it hurts"})
    assert "AB, year 4" in reply.text and "it hurts" in reply.text
    assert [b.payload for b in reply.buttons] == ["/affirm", "/deny"]


def test_a_button_or_command_pressed_mid_form_is_not_taken_as_the_answer():
    for payload in ("/start_concern", '/ask_contact{"topic":"concern"}', "/affirm"):
        value, msg = form.read_answer("incident_when", payload)
        assert value is None and "When did it happen" in msg
    assert form.read_answer("child_words", "/ he said slash-and-burn /")[0] == "/ he said slash-and-burn /"


def test_on_telegram_the_form_asks_for_initials_and_reads_nothing_back():
    assert "initials only" in form.question("child_ref", cloud_chat=True).text
    assert form.question("child_ref").text == form.FIELD_BY_SLOT["child_ref"].question
    values = {"child_ref": "J.D., year 8", "child_words": "he hit me", "others_present": None}
    text = form.summary(values, cloud_chat=True).text
    assert "J.D." not in text and "he hit me" not in text
    assert "• Child's words: ✓ given (3 words)" in text and f"• Who else was there: {form.NOT_GIVEN}" in text
