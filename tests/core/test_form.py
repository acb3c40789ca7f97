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
