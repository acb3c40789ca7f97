"""A safety net for danger that the learned classifier might miss.

A classifier trained on a few hundred examples will sometimes get "he's got a knife
and says he'll do it tonight" wrong; these rules will not, and each can say why it
fired. They are deliberately narrow about *now*: "her stepdad hits her" is a
disclosure (handled by the classifier), "her stepdad is hitting her" is danger.

Every match is dropped when, in its own clause, it is negated ("she is not in
danger"), past ("years ago", "used to"), make-believe ("in first aid training",
"in the film") or part of a question about what a word means.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import product

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from bot.language import text as textlib


@dataclass(frozen=True)
class RedFlag:
    rule: str      # stable name, e.g. "weapon"
    reason: str    # plain English for the worker and the record
    span: str      # the words that triggered it


REASONS: dict[str, str] = {
    "weapon": "a weapon was mentioned",
    "threat_to_kill_or_hurt": "someone has threatened to kill or hurt a person",
    "hurting_now": "someone is being hurt or is violent right now",
    "child_missing": "a child is missing now",
    "child_taken": "a child is being taken away by someone",
    "held_against_will": "an adult is not letting a child leave",
    "self_harm_or_suicide": "a young person may harm themselves or take their own life now",
    "taken_abroad": "a child may be about to be taken abroad for FGM or forced marriage",
    "serious_injury": "someone is seriously hurt, unconscious or not breathing",
    "afraid_to_go_home": "a child is afraid to go home",
    "in_danger_now": "the message says someone is in danger now",
    "drunk_in_charge": "an adult who seems drunk or high is about to drive a child",
}

# ── word lists (lower-case; the blank pipeline has no lemmatiser, so inflections are listed) ──

PRON_OBJ = ["her", "him", "them", "me", "us", "you", "u", "everyone", "everybody", "anyone",
            "anybody", "someone", "somebody"]
REFLEXIVE = ["himself", "herself", "themselves", "themself", "myself", "yourself", "hisself"]
DETS = ["the", "his", "her", "their", "my", "your", "our", "a", "an", "that", "this", "those",
        "these", "both", "all", "one", "2", "two", "3", "three"]
PEOPLE = ["kid", "kids", "child", "children", "baby", "babies", "boy", "boys", "girl", "girls", "lad",
          "lads", "son", "daughter", "mum", "mom", "mam", "mother", "dad", "father", "stepdad",
          "stepmum", "family", "wife", "husband", "sister", "brother", "sisters", "brothers", "staff",
          "teacher", "partner", "girlfriend", "boyfriend", "ex", "nan", "gran", "woman", "man",
          "women", "men", "twins", "carer", "worker", "yp", "toddler", "teen", "teenager", "pupil",
          "student", "friend", "people", "person", "ones"]
CHILD = (r"^(kids?|child(ren)?|babies|baby|boys?|girls?|lads?|son|daughter|toddler|teen(ager)?s?|"
         r"pupils?|students?|yp|old|yo|\d+yo|\d+yrs?|one|ones|twins|brother|sister|mentee)$")
HURT_SERIOUS = ["kill", "stab", "shoot", "murder", "strangle", "hurt", "harm", "batter", "burn",
                "rape", "knife", "slash", "smash", "torture", "drown", "choke"]
HURT_ANY = HURT_SERIOUS + ["beat", "attack", "punch", "kick", "hit", "slap", "throttle", "bottle",
                           "glass", "petrol"]
VIOLENT_ING = ["hitting", "punching", "beating", "kicking", "strangling", "choking", "attacking",
               "shaking", "hurting", "battering", "slapping", "throttling", "stabbing", "assaulting",
               "raping", "dragging", "smacking", "thumping", "headbutting", "stamping", "whipping",
               "burning", "suffocating", "smothering", "laying", "belting", "booting", "twatting"]
VIOLENT_PP_STRONG = ["beaten", "attacked", "stabbed", "strangled", "assaulted", "battered", "raped",
                     "dragged", "choked", "threatened", "smothered", "suffocated", "strangled", "mugged"]
VIOLENT_PP_WEAK = ["hit", "hurt", "kicked", "punched", "slapped", "shaken", "beat", "smacked", "bullied"]
VEHICLES = ["car", "van", "vehicle", "taxi", "motor", "boot", "lorry", "truck", "cab", "minicab"]
ROOMS = ["room", "bedroom", "car", "cupboard", "flat", "house", "bathroom", "shed", "toilet", "toilets",
         "cellar", "basement", "garage", "loft", "attic", "van", "boot"]
LET_GO = ["leave", "in", "take", "through", "near", "see", "get", "escape", "home"]
WEAPONS = ["knife", "knives", "blade", "blades", "machete", "machetes", "gun", "guns", "pistol",
           "firearm", "shotgun", "rifle", "axe", "crossbow", "sword", "taser", "handgun", "revolver",
           "meat cleaver", "cleaver", "samurai", "hatchet", "shank"]
WEAPONS_IN_USE = WEAPONS + ["hammer", "bat", "bottle", "screwdriver", "scissors", "brick", "crowbar",
                            "bar", "pole", "stick", "chain", "belt", "iron", "poker", "glass"]
NOT_WEAPON = ["nerf", "toy", "bread", "butter", "water", "glue", "plastic", "fake", "cake", "pizza",
              "cutlery", "craft", "palette", "pretend", "nail", "staple", "cricket", "rounders",
              "baseball"]
# Possession now; habitual "carries a knife" is a disclosure for the classifier, not an alarm.
HAVE = ["has", "have", "had", "got", "with", "carrying",
        "holding", "holds", "held", "waving", "waved", "wielding", "brandishing", "brandished",
        "pulled", "pulling", "pulls", "produced", "swinging", "hiding", "hid", "armed", "bringing",
        "brought", "flashing", "flashed", "showing", "showed", "grabbed", "grabbing", "concealing"]
IN_USE = ["threatening", "threatened", "threatens", "attacking", "attacked", "hitting", "waving",
          "wielding", "swinging", "brandishing", "chasing", "chased", "hitting", "smashing"]
FUTURE = ["will", "'d", "wil", "hell", "shall"]
INTEND = ["going", "threatening", "threatened", "threatens", "threaten", "want", "wants", "wanted",
          "promised", "promising", "swore", "swearing", "vowed", "vowing", "planning", "plans",
          "trying", "tried", "about"]
ADVERB = ["really", "actually", "fucking", "fkn", "fking", "definitely", "literally", "just",
          "properly", "seriously", "go", "come", "and", "get", "do"]
BE = ["is", "are", "'s", "s", "am", "'re", "re", "was", "were", "be", "been", "being"]
NEG = {"not", "no", "never", "nobody", "none", "nothing", "without", "neither", "nor", "nowhere",
       "noone", "hasnt", "isnt", "didnt", "wasnt", "wont", "cant", "dont", "doesnt", "havent",
       "arent", "werent", "aint"}
NEG_NOT_NEGATING = {"sure", "know", "certain", "clear", "confirmed", "sure", "only"}
HABIT = {"keeps", "keep", "kept", "often", "always", "sometimes", "regularly", "frequently",
         "usually", "constantly", "occasionally", "used"}
MAKE_BELIEVE = {"training", "course", "practised", "practiced", "practise", "practice", "drill",
                "film", "movie", "episode", "scenario", "roleplay", "pretend", "pretending", "joked",
                "joking", "jokes", "fiction", "novel", "panto", "game", "fortnite", "video"}
DEFINING = {"mean", "means", "meaning", "definition", "define", "difference", "spot", "signs",
            "stand", "counts", "count", "examples", "example"}
QUESTION_START = {"what", "whats", "how", "is", "define", "explain", "signs", "when", "why", "are"}
ALARM_WORDS = {"emergency", "urgent", "help me", "sos", "999", "help help", "help!!"}
CLAUSE_BREAK = {"but", "though", "although", "however", "because", "cos", "coz", "cause", "so",
                "then", "whereas", "while"}


def _w(*words: str, op: str | None = None) -> dict:
    spec: dict = {"LOWER": {"IN": list(words)}}
    if op:
        spec["OP"] = op
    return spec


def _n(*norms: str, op: str | None = None) -> dict:
    spec: dict = {"NORM": {"IN": list(norms)}}
    if op:
        spec["OP"] = op
    return spec


ANY = {"IS_PUNCT": False, "IS_SPACE": False, "OP": "?"}
ADV = {"LOWER": {"IN": ADVERB}, "OP": "?"}
CHILD_TOK = {"LOWER": {"REGEX": CHILD}}


def _seq(*parts: list[list[dict]]) -> list[list[dict]]:
    """Every pattern made by choosing one alternative from each part, in order."""
    return [[tok for alt in combo for tok in alt] for combo in product(*parts)]


def _one(*toks: dict) -> list[list[dict]]:
    return [list(toks)]


def _person() -> list[list[dict]]:
    return [[_w(*PRON_OBJ)], [_w(*DETS), _w(*PEOPLE)], [_w(*DETS), ANY, ANY, _w(*PEOPLE)],
            [CHILD_TOK]]


def _phrase(words: str) -> list[dict]:
    return [{"LOWER": w} for w in words.split()]


# ── the rules ───────────────────────────────────────────────────────────────
# A label is a rule name, or "rule/variant" when the variant needs its own guard below.

def _patterns() -> dict[str, list[list[dict]]]:
    p: dict[str, list[list[dict]]] = {}
    head = [[{"LOWER": {"NOT_IN": NOT_WEAPON}, "IS_PUNCT": False, "OP": "?"}]]
    p["weapon"] = (
        _seq(_one(_w(*HAVE)), _one(_w("out", "up", "round", "around", op="?")), [[_w(*DETS)]], head,
             [[_w(*WEAPONS)]])
        + _seq(_one(_w("carrying", "holding", "waving", "wielding", "brandishing", "armed",
                       "hiding", "concealing")), _one(_w("with", op="?")), head, [[_w(*WEAPONS)]])
        + _seq(_one(_w(*IN_USE)), [[ANY, ANY, ANY]], _one(_w("with")),
               _one(_w("a", "an", "the", "his", "her", "their", op="?")), head, [[_w(*WEAPONS_IN_USE)]])
        + _seq(_one(_w("waving", "wielding", "swinging", "brandishing")), [[_w(*DETS)]], head,
               [[_w(*WEAPONS_IN_USE)]])
        + _seq(_one(_w("with", "carrying", "got", "have", "has")),
               _one(_w("weapons", "knives", "guns", "blades", "machetes", "firearms")))
        + [_phrase("acid attack"), _phrase("throw acid"), _phrase("threw acid"), _phrase("armed man"),
           _phrase("armed men")]
    )
    p["threat_to_kill_or_hurt"] = (
        _seq(_one(_n(*FUTURE)), [[ADV, ADV]], _one(_w(*HURT_SERIOUS)), _person())
        + _seq(_one(_w(*INTEND)), _one({"LOWER": "to"}), [[ADV, ADV]], _one(_w(*HURT_ANY)),
               _one(_w("up", "in", "round", op="?")), _person())
        + _seq(_one(_n(*FUTURE)), [[ADV]], _one(_w("beat", "punch", "kick", "hit", "batter", "do", "kick")),
               _person(), _one(_w("up", "in", "over")))
        + _seq(_one(_w("kill", "death", "stab")), _one(_w("threat", "threats")))
        + _seq(_one(_w("hurt", "kill", "stab", "shoot", "batter", "attack")),
               _one(_w("anyone", "anybody", "whoever", "everyone", "everybody")), _one(_w("who", "that", "in")))
        + _seq([[_n(*FUTURE)], [_w(*INTEND), _w("to")]], [[ADV]],
               [[_w("burn", "torch", "petrol", "firebomb")], [_w("set"), _w("fire"), _w("to")]],
               _one(_w("the", "our", "her", "his", "their", "my", "down")),
               _one(_w("house", "flat", "place", "home", "building", "centre", "car", "door", "the")))
        + _seq(_one(_w("threats", "threatening", "threatened", "threatens")), _one(_w("to")),
               _one(_w("kill", "murder", "stab", "shoot")))
        + _seq(_one(_w("going", "gonna", "about")), _one(_w("to", op="?")), _one(_w("get", "be")),
               _one(_w("killed", "stabbed", "shot", "murdered", "battered")))
        + _seq(_one(_n("will")), _one(_w("be", "get")), _one(_w("killed", "stabbed", "shot", "murdered")))
    )
    p["hurting_now"] = (
        _seq(_one(_n(*BE[:6])), [[ADV]], _one(_w(*VIOLENT_ING)), _person())
        + _seq(_one(_w("being")), _one(_w(*VIOLENT_PP_STRONG)))
        + _seq(_one(_w("being")), _one(_w(*VIOLENT_PP_WEAK)), [[ANY, ANY]], _one(_w("now", "moment")))
        + _seq(_one(_w("got", "has", "have", "grabbed", "holding", "had")), _one(_w(*PRON_OBJ)),
               _one(_w("by")), _one(_w("the", "her", "his")), _one(_w("throat", "neck")))
        + _seq(_one(_w("hands", "hand", "arm")), _one(_w("round", "around")),
               _one(_w("her", "his", "their")), _one(_w("throat", "neck")))
        + _seq(_one(_n(*BE[:6])), _one(_w("beating", "kicking", "battering")), _person(), _one(_w("up", "in")))
        + _seq(_one(_w("just", "has", "'s")), _one(_w("just", op="?")),
               _one(_w("punched", "hit", "attacked", "stabbed", "kicked", "slapped", "strangled", "headbutted",
                       "battered", "beaten", "assaulted", "throttled", "choked", "glassed")), _person())
        + _seq(_one(_w("kicking", "smashing", "breaking", "booting", "kicked", "smashed", "broken", "broke")),
               _one(_w("the", "her", "his", "our", "their", "my")), _one(_w("door", "doors", "window", "windows")),
               _one(_w("in", "down")))
        + _seq(_one(_w("smashing", "trashing", "wrecking")), _one(_w("the", "our", "their", "her", "his", "up")),
               _one(_w("place", "house", "flat", "room", "centre", "hall", "up")))
        + _seq(_one(_n(*BE[:6])), _one(_w("following", "chasing", "stalking", "cornering", "cornered")), _person())
        + [_phrase("laying into"), _phrase("as we speak")]
    )
    p["child_missing"] = (
        _seq(_one(_n("can", "could")), _one(_n("not")), _one(_w("find", "locate", "trace")),
             [[_w(*PRON_OBJ)], [ANY, ANY, CHILD_TOK], [ANY, CHILD_TOK], [CHILD_TOK],
              [_w("one", "any", "two"), _w("of")]])
        + _seq(_one(_w("lost", "lose", "losing")), [[ANY, ANY, CHILD_TOK], [ANY, CHILD_TOK],
                                                     [_w("one", "two"), _w("of")], [ANY, ANY, ANY, CHILD_TOK]])
        + _seq([[_w("he", "she", "they", "who")], [CHILD_TOK]],
               _one(_w("has", "have", "had", "'s", "s", "is", "are", "was", "were", "'re", "re", op="?")),
               _one(_w("been", "gone", "went", "go", "now", "still", op="?")), _one(_w("missing")))
        + [_phrase("gone missing"), _phrase("went missing"), _phrase("missing child"),
           _phrase("missing since"), _phrase("child missing"), _phrase("kid missing"),
           _phrase("boy missing"), _phrase("girl missing"), _phrase("missing person")]
        + _seq(_one(_w("no")), _one(_w("sign")), _one(_w("of")), [[_w(*PRON_OBJ)], [_w(*DETS), CHILD_TOK]])
        + _seq(_one(_n("not")), _one(_w("been", op="?")), _one(_w("found", "located", "seen")),
               _one(_w("yet", "anywhere", "since")))
        + _seq(_one(_w("nowhere")), _one(_w("to")), _one(_w("be")), _one(_w("found", "seen")))
        + _seq(_one(_w("has", "have", "did", "had", op="?")), _one(_n("not")),
               _one(_w("come", "came", "returned", "arrived", "been")), _one(_w("back", "home")))
        + _seq(_one(_w("nobody", "noone")), _one(_w("knows", "know")), _one(_w("where")))
        + _seq(_one(_w("no")), _one(_w("one")), _one(_w("knows", "know")), _one(_w("where")))
        + _seq(_one(_n("not")), _one(_w("on")), _one(_w("site")))
        + _seq(_one(_w("searched", "looked", "searching", "looking")), _one(_w("everywhere", "all")))
        + _seq(_one(_w("whole")), _one(_w("site", "building", "park", "school")), _one(_w("searched")))
        + _seq(_one(_w("ran", "run", "running", "wandered")), _one(_w("off", "away")))
        + _seq(_one(_w("got", "gotten", "slipped", "escaped", "wandered")),
               _one(_w("out", "through", "off", "away", "from")), _one(_w("of", op="?")),
               _one(_w("the", "our", op="?")),
               _one(_w("gate", "gates", "school", "nursery", "building", "site", "fence", "playground",
                       "centre", "club", "park", "front")))
    )
    p["child_taken"] = (
        _seq(_one(_w("snatched", "snatching", "grabbed", "dragged", "dragging", "bundled", "bundling",
                     "forced", "forcing", "shoved", "shoving", "force", "drag", "grab", "bundle", "snatch", "shove")),
             [[ANY, ANY, ANY]], _one(_w("into", "in")), _one(_w("a", "the", "his", "their", "an", op="?")),
             _one(_w(*VEHICLES)))
        + _seq(_one(_w("pulled", "pulling", "pushed", "pushing", "lured", "luring", "taken", "took")),
               [[ANY, ANY, ANY]], _one(_w("into")), _one(_w("a", "the", "his", "their", "an", op="?")),
               _one(_w(*VEHICLES)))
        + _seq(_one(_w("taken", "snatched", "grabbed", "led")), [[ANY, ANY, ANY]], _one(_w("by")),
               _one(_w("a", "an", "some", "two", "three", "older")),
               _one(_w("man", "woman", "men", "stranger", "strangers", "someone", "somebody", "group", "gang")))
        + [_phrase("abducted"), _phrase("kidnapped"), _phrase("abducting"), _phrase("kidnapping"),
           _phrase("snatched")]
        + _seq(_one(_w("drove", "driven", "driving", "sped", "ran")), _one(_w("off", "away")),
               _one(_w("with")), _person())
        + _seq(_one(_w("left", "gone", "went", "walked", "drove", "driven", "off")), [[ANY, ANY, ANY]],
               _one(_w("with")), _one(_w("a", "an", "some", "two")),
               _one(_w("man", "stranger", "men", "strangers", "adult", "older")))
        # someone in a car luring children in: "a man in a van trying to get the girls to get in"
        + _seq(_one(_w("in", "from")), _one(_w("a", "an")), _one(_w(*VEHICLES)),
               _one(_w("is", "was", "'s", "s", "keeps", "kept", "has", "been", op="?")),
               _one(_w("trying", "tried", "offering", "offered", "luring", "beckoning", "enticing", "persuading")))
    )
    p["held_against_will/let_go"] = (
        _seq(_one(_n("will")), _one(_n("not")), _one(_w("let", "allow")), _person(), _one(_w("go")))
        + _seq(_one(_n(*BE[:6])), _one(_n("not")), _one(_w("letting", "allowing")), _person(), _one(_w("go")))
    )
    p["held_against_will/let"] = (
        _seq(_one(_n("will")), _one(_n("not")), _one(_w("let", "allow")), _person(), _one(_w(*LET_GO)))
        + _seq(_one(_n(*BE[:6])), _one(_n("not")), _one(_w("letting", "allowing")), _person(), _one(_w(*LET_GO)))
        + _seq(_one(_w("refusing", "refuses", "refused", "refuse")), _one(_w("to")), _one(_w("let", "allow")),
               _person(), _one(_w("to", op="?")), _one(_w(*LET_GO)))
    )
    p["held_against_will"] = (
        _seq(_one(_w("being")), _one(_w("held", "kept", "locked", "trapped", "imprisoned")))
        + _seq(_one(_w("is", "'s", "s", "are", "re", "'re", "been")), _one(_w("held", "kept")),
               _one(_w("hostage", "captive", "prisoner", "against")))
        + _seq(_one(_w("holding", "keeping", "trapping")), _person(),
               _one(_w("hostage", "captive", "prisoner", "against", "locked")))
        + _seq(_one(_w("has", "have", "'s", "s", "just", "been", "had")), _one(_w("locked", "barricaded")),
               [[_person()[0][0], _w("in", "inside", "up", "out")], [_w("the", "all", "every"),
                                                                     _w("door", "doors", "gate", "gates")],
                [_w("himself", "herself", "themselves"), _w("in", "inside")]])
        + _seq(_one(_w("is", "'s", "s", "are", "re", "'re", "been")), _one(_w("locked")), _one(_w("in", "inside")),
               _one(_w("a", "the", "her", "his", "their")), _one(_w(*ROOMS)))
        + _seq(_one(_w("blocking", "blocked", "blocks", "guarding", "barricading")),
               _one(_w("the", "our", "my", "her", "his", op="?")),
               _one(_w("door", "doors", "doorway", "exit", "way", "gate")))
    )
    p["self_harm_or_suicide"] = (
        _seq(_one(_w("kill", "killing", "killed", "hang", "hanging", "hanged", "strangle", "strangling",
                     "drown", "drowning", "poison", "poisoning", "shoot", "shooting", "suffocate")),
             _one(_w(*REFLEXIVE)))
        + _seq(_one(_w(*INTEND)), _one(_w("to")), [[ADV]], _one(_w("hurt", "harm", "cut", "stab", "burn")),
               _one(_w(*REFLEXIVE)))
        + _seq(_one(_n(*FUTURE)), [[ADV]], _one(_w("hurt", "harm", "cut", "stab", "burn")), _one(_w(*REFLEXIVE)))
        + _seq(_one(_n(*BE[:6])), _one(_w("hurting", "harming", "cutting", "stabbing", "burning")),
               _one(_w(*REFLEXIVE)), _one(_w("now", "right", op="?")))
        + [_phrase("suicidal"), _phrase("overdosed"), _phrase("overdosing"), _phrase("ligature"),
           _phrase("noose"), _phrase("this is goodbye"), _phrase("goodbye message"), _phrase("goodbye text"),
           _phrase("goodbye note"), _phrase("goodbye letter"), _phrase("suicide note"),
           _phrase("suicide attempt"), _phrase("attempted suicide"), _phrase("attempting suicide")]
        + _seq(_one(_w("take", "taken", "taking", "took", "had", "done", "swallowed")),
               _one(_w("an", "a")), _one(_w("overdose", "od")))
        + _seq(_one(_w("slit", "slitting", "slashed", "slashing")),
               _one(_w("her", "his", "their", "my")), _one(_w("wrists", "wrist", "throat")))
        + _seq(_one(_w("cut", "cutting")), _one(_w("her", "his", "their", "my")), _one(_w("wrists", "throat")))
        + _seq(_one(_w("drunk", "drank", "drink", "drinking", "swallowed", "swallowing", "ate", "eaten")),
               _one(_w("bleach", "antifreeze", "poison", "weedkiller")))
        + _seq(_one(_w("going", "gonna", "threatening", "threatened", "about", "wants", "want", "trying",
                       "tried")), _one(_w("to")), _one(_w("jump")))
        + _seq(_one(_n("will")), _one(_w("jump")), _one(_w("off", "from", "in")))
        + _seq(_one(_w("jump", "jumping", "jumped", "step", "stepped")),
               _one(_w("off", "from", "in")), _one(_w("a", "the", "of", "front", op="?")),
               _one(_w("bridge", "roof", "building", "cliff", "ledge", "balcony", "front", "multi", "carpark")))
        + _seq(_one(_w("standing", "sitting", "stood", "sat", "climbing", "climbed", "perched", "leaning",
                       "balancing", "hanging", "dangling")),
               _one(_w("on", "over", "onto", "at", "off", "by", "up")), _one(_w("the", "a", "top", op="?")),
               _one(_w("of", op="?")), _one(_w("the", "a", op="?")), [[ANY]],
               _one(_w("bridge", "roof", "rooftop", "ledge", "railings", "railing", "cliff", "tracks",
                       "parapet", "overpass", "flyover")))
        + _seq(_one(_w("on", "onto")), _one(_w("the")), [[ANY]], _one(_w("tracks")))
        + _seq(_one(_w("edge")), _one(_w("of")), _one(_w("the", "a")), [[ANY]],
               _one(_w("platform", "roof", "bridge", "cliff", "building", "balcony", "tracks", "river",
                       "canal", "park", "multi", "storey")))
        + _seq(_one(_w("tied", "wrapped", "tightened", "put", "pulled", "tying", "wrapping", "got")),
               [[ANY, ANY, ANY]], _one(_w("round", "around")), _one(_w("his", "her", "their", "my")),
               _one(_w("neck")))
    )
    p["self_harm_or_suicide/end_it"] = _seq(
        _one(_n(*FUTURE, "to", "going")), _one(_w("end")), _one(_w("it")))
    p["serious_injury"] = (
        [_phrase("unconscious"), _phrase("unresponsive"), _phrase("lifeless"), _phrase("stabbed"),
         _phrase("knifed"), _phrase("seizure"), _phrase("seizures"), _phrase("anaphylactic"),
         _phrase("anaphylaxis"), _phrase("collapsed"), _phrase("choking"), _phrase("concussed"),
         _phrase("struggling to breathe"), _phrase("bleeding a lot"), _phrase("bleeding so much"),
         _phrase("bleeding really badly"), _phrase("stopped breathing"), _phrase("floppy")]
        + _seq(_one(_n("not")), _one(_w("feel", "move")), _one(_w("his", "her", "their", "my")),
               _one(_w("legs", "arms", "body")))
        + _seq(_one(_n("not", "barely")),
               _one(_w("breathing", "breathe", "breath", "responding", "moving", "waking", "conscious")))
        + _seq(_one(_n("will")), _one(_n("not")), _one(_w("wake", "respond")))
        + _seq(_one(_n("will")), _one(_n("not")), _one(_w("stop")), _one(_w("bleeding")))
        + _seq(_one(_w("lost", "lose", "losing", "loses")), _one(_w("consciousness")))
        + _seq(_one(_w("passed", "knocked", "blacked", "passing")), _one(_w("out")))
        + _seq(_one(_w("having", "had", "has")), _one(_w("a")), _one(_w("fit", "seizure")))
        + _seq(_one(_w("lips", "face", "he", "she", "is", "'s", "s")), _one(_w("are", "is", op="?")),
               _one(_w("going", "turning", "gone", "turned")), _one(_w("blue", "grey", "purple")))
        + _seq(_one(_w("bleeding", "bleeds", "bled")),
               _one(_w("heavily", "badly", "loads", "heavy", "everywhere", "profusely", "lots",
                       "uncontrollably")))
        + _seq(_one(_w("bleeding")), _one(_w("from")), _one(_w("the", "his", "her", "their")),
               _one(_w("head", "neck", "chest", "stomach", "ears", "ear", "mouth")))
        + _seq(_one(_w("lots", "loads", "lot", "pool", "so", "covered")),
               _one(_w("of", "much", "in")), _one(_w("blood")))
        + _seq(_one(_w("been", "was", "got", "getting", "were")), _one(_w("shot")))
        + _seq(_one(_w("a")), _one(_w("stabbing", "shooting")))
        + _seq(_one(_w("broken", "broke", "fractured")), _one(_w("his", "her", "their", "the", op="?")),
               _one(_w("neck", "back", "skull", "spine")))
        + _seq(_one(_w("hit", "run", "knocked")), _one(_w("by", "over")), _one(_w("a", "the")),
               _one(_w(*VEHICLES, "bus", "train")))
    )
    p["serious_injury"] += _seq(_one(_w("inhaler", "epipen", "epi")), _one(_n(*BE[:6], op="?")),
                                _one(_n("not")), _one(_w("working", "helping")))
    p["serious_injury/fitting"] = _seq(_one(_w("is", "'s", "s", "started", "keeps", "now")), _one(_w("fitting")))
    p["afraid_to_go_home"] = (
        _seq(_one(_w("scared", "afraid", "frightened", "terrified", "petrified", "fearful")),
             _one(_w("to", "of")), _one(_w("go", "going", "return", "returning", "be", "get")),
             _one(_w("back", op="?")), _one(_w("home")))
        + _seq(_one(_n("will")), _one(_n("not")), _one(_w("go")), _one(_w("back", op="?")), _one(_w("home")),
               _one(_w("because", "cos", "coz", "as", "tonight")))
        + _seq(_one(_w("refuses", "refusing", "refused")), _one(_w("to")), _one(_w("go")), _one(_w("home")))
        + _seq(_one(_n("not")), _one(_w("safe")), _one(_w("to")), _one(_w("go")), _one(_w("back", op="?")),
               _one(_w("home")))
    )
    p["in_danger_now"] = (
        _seq(_one(_w("in")), _one(_w("immediate", "real", "serious", "grave", "mortal", op="?")),
             _one(_w("danger", "dnager")))
        + _seq(_one(_w("at")), _one(_w("immediate", "serious")), _one(_w("risk")))
        + _seq(_one(_w("at")), _one(_w("risk")), _one(_w("right", op="?")), _one(_w("now")))
        + _seq(_one(_w("an")), _one(_w("emergency")))
        + [_phrase("life threatening"), _phrase("threat to life"), _phrase("life or death"),
           [{"LOWER": "emergency"}, {"IS_PUNCT": True, "LOWER": {"NOT_IN": ["-", "'"]}}],
           _phrase("need help now"), _phrase("sos")]
    )
    return p


# Guards on single matches: the word just before / just after that cancels the variant.
PREV_BLOCK: dict[str, set[str]] = {
    "threat_to_kill_or_hurt": {"it", "that", "this", "which", "injection", "jab", "needle"},
}
NEXT_BLOCK: dict[str, set[str]] = {
    "weapon": {"drawer", "drawers", "crime", "crimes", "block", "set", "skills", "safety", "amnesty",
               "awareness", "sharpener", "emoji", "rack", "fork", "range", "club", "shop", "licence"},
    "child_missing": {"to", "with", "for"},
    "self_harm_or_suicide/end_it": {"with", "between"},
    "held_against_will/let_go": {"out", "to", "on", "with", "anywhere", "outside", "online"},
    "serious_injury/fitting": {"in", "into", "the", "a", "an", "well"},
}
# Words anywhere in the clause that make the rule about everyday life, not danger.
CLAUSE_BLOCK: dict[str, set[str]] = {
    "weapon": {"cooking", "baking", "chopping", "peeling", "sharpen", "sharpening", "cutlery"},
    "hurting_now": HABIT | {"every", "whenever", "when"},
    "child_missing": HABIT,
    "self_harm_or_suicide": HABIT | {"thinks", "thought", "thinking", "wonders", "feels"},
}


# Sentence-level rules: all of several kinds of cue must appear in one sentence.
CUES: dict[str, list[list[dict]]] = {
    "travel": [[_w("abroad", "overseas", "plane", "flight", "flights", "flying", "fly", "flies", "flew",
                   "flown", "airport", "ticket", "tickets", "passport", "pakistan", "somalia", "bangladesh",
                   "india", "nigeria", "sudan", "egypt", "kenya", "ethiopia", "eritrea", "gambia", "guinea",
                   "mali", "yemen", "iraq", "afghanistan", "iran", "senegal", "djibouti", "chad",
                   "indonesia", "syria", "morocco", "turkey", "ghana", "sierra", "liberia", "burkina")],
               [_w("taking", "taken", "take", "sending", "sent", "send"), _w("her", "them", "him"), _w("away")],
               _phrase("back home"), _phrase("home country"), _phrase("the motherland")],
    "purpose": [[_w("cut", "cutting", "fgm", "circumcised", "circumcision", "circumcise", "married",
                    "marry", "marrying", "marriage", "wedding", "bride", "husband", "engaged", "ceremony",
                    "initiation", "cutter", "sunna")],
                [_w("get", "getting", "got", "be", "being", "have"), _w("done")],
                [_w("get", "getting", "got", "be", "being", "have"), _w("her", "them", "it", "us", "me", "both"),
                 _w("done")]],
    "soon": [[_w("tonight", "tonite", "tomorrow", "tmrw", "tmr", "today", "now", "soon", "morning",
                 "weekend", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                 "booked", "leaves", "leaving", "hours", "hrs", "hour", "hr", "mins", "minutes", "imminent",
                 "shortly", "tmoz", "tomoz", "packing", "packed")],
             _phrase("next week"), _phrase("this week"), _phrase("half term"), _phrase("few days"),
             _phrase("couple of days")],
    "meds": [[_w("pills", "tablets", "paracetamol", "painkillers", "meds", "medication", "ibuprofen",
                 "antidepressants", "insulin", "sleeping", "codeine", "tabs", "capsules", "aspirin")]],
    "take": [[_w("taken", "taking", "took", "take", "eaten", "ate", "necked", "downed", "swallow")]],
    "take_strong": [[_w("swallowed", "swallowing", "necked", "downed", "overdose", "overdosed", "od", "empty")]],
    "drunk": [[_w("drunk", "steaming", "smashed", "wasted", "paralytic", "hammered", "plastered", "pissed",
                  "booze", "alcohol", "stoned", "tipsy", "intoxicated", "slurring")],
              _phrase("off his face"), _phrase("off her face"), _phrase("over the limit")],
    "drive": [[_w("drive", "driving", "drives", "drove", "keys")], _phrase("in the car"), _phrase("in his car"),
              _phrase("in her car"), _phrase("in his van"), _phrase("in the van"), _phrase("behind the wheel")],
    "children": [[{"LOWER": {"REGEX": CHILD}}], [_w("them", "her", "him")]],
    "amount": [[_w("load", "loads", "lots", "lot", "all", "whole", "bunch", "handful", "packet", "packets",
                   "pack", "box", "boxes", "bottle", "many", "strip", "strips", "several", "heaps")]],
    "head_hit": [_seq(_one(_w("hit", "banged", "bumped", "knocked", "smacked", "cracked", "whacked")),
                      _one(_w("his", "her", "their", "the")), _one(_w("head")))[0],
                 _phrase("head injury"), _phrase("head wound")],
    "head_sign": [[_w("drowsy", "vomiting", "vomited", "sick", "confused", "slurring", "dizzy", "sleepy",
                     "fitting", "responding", "unsteady")]],
}
COMBOS: list[tuple[str, tuple[str, ...]]] = [
    ("taken_abroad", ("travel", "purpose", "soon")),
    ("self_harm_or_suicide", ("meds", "take", "amount")),
    ("self_harm_or_suicide", ("meds", "take_strong")),
    ("serious_injury", ("head_hit", "head_sign")),
    ("drunk_in_charge", ("drunk", "drive", "children")),
]
# Cue kinds for these rules may sit in neighbouring sentences ("...flying tomorrow. im sure its FGM").
COMBO_WINDOW = 45   # tokens

# Whole-clause cues that cancel a match: past events.
PAST: list[list[dict]] = (
    [_phrase("used to"), _phrase("in the past"), _phrase("last year"), _phrase("at my old"),
     _phrase("in my last"), _phrase("when she was"), _phrase("when he was"), _phrase("when they were"),
     _phrase("when i was"), _phrase("years back")]
    + _seq(_one(_w("years", "months", "year", "yrs")), _one(_w("ago")))
    + _seq(_one(_w("once")), _one(_w("took", "had", "tried", "was", "did", "got", "attempted",
                                     "threatened", "said", "ran", "went")))
)


@dataclass
class _Compiled:
    """Matchers are built once; building them costs far more than running them."""
    rules: Matcher
    cues: Matcher
    past: Matcher


@lru_cache(maxsize=1)
def _compiled() -> _Compiled:
    vocab = textlib.nlp().vocab
    rules, cues, past = Matcher(vocab), Matcher(vocab), Matcher(vocab)
    for name, patterns in _patterns().items():
        rules.add(name, patterns)
    for name, patterns in CUES.items():
        cues.add(name, patterns)
    past.add("past", PAST)
    return _Compiled(rules, cues, past)


# ── context checks ──────────────────────────────────────────────────────────

def _is_break(tok) -> bool:
    return (tok.is_punct and tok.text not in {"'", "-"}) or tok.lower_ in CLAUSE_BREAK


def _clause(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """The token range of the clause around a match: between punctuation or "but", "because"..."""
    lo = start
    while lo > 0 and not doc[lo].is_sent_start and not _is_break(doc[lo - 1]):
        lo -= 1
    hi = end
    while hi < len(doc) and not doc[hi].is_sent_start and not _is_break(doc[hi]):
        hi += 1
    return lo, hi


def _negated(doc: Doc, start: int, window: int = 4) -> bool:
    """A negation in the few words before the match, within its clause ("she is not in danger")."""
    lo = max(_clause(doc, start, start + 1)[0], start - window)
    for k in range(lo, start):
        word = doc[k].norm_ if doc[k].norm_ == "not" else doc[k].lower_
        if word in NEG or (word == "no" and doc[k + 1].lower_ == "one"):
            if doc[k + 1].lower_ in NEG_NOT_NEGATING:   # "not sure if he has a knife" still counts
                continue
            return True
    return False


def _defining(sent: Span) -> bool:
    """A question about what something means ("what does FGM mean?") is not a report."""
    words = {t.lower_ for t in sent}
    if not words & DEFINING:
        return False
    first = next((t.lower_ for t in sent if not t.is_punct), "")
    return first in QUESTION_START or sent.text.rstrip().endswith("?") or "difference" in words


ASK_VERBS = {"ask", "asking", "say", "saying"}
ASK_LINKS = {"if", "whether", "'", '"', "‘", "“"}
JOINERS = {"and", "but", "because", "cos", "coz", "so", "as", "plus", "also"}   # a report joined on
CHECKING_START = {"can", "could", "should", "shall", "may", "is", "would", "how", "what", "do"}


def _wording_check(doc: Doc, start: int, end: int) -> bool:
    """A worker checking how to word a question ("can I ask her if he's hurting her?") reports nothing:
    the match sits inside the question they mean to ask, in the same clause as "ask". What they
    report in another clause ("…, her dad is outside with a knife") still counts."""
    sent = doc[start].sent
    first = next((t.lower_ for t in sent if not t.is_punct), "")
    if first not in CHECKING_START:
        return False
    lo, _ = _clause(doc, start, end)
    for k in range(max(lo, sent.start), start):
        if doc[k].lower_ in ASK_VERBS and any(doc[j].lower_ in ASK_LINKS for j in range(k + 1, min(k + 6, start + 1))):
            return not any(doc[j].lower_ in JOINERS for j in range(k + 1, start))
    return False


def _keep(doc: Doc, label: str, start: int, end: int, past: list[int]) -> bool:
    """Whether a match still stands once negation, past, make-believe and guards are weighed."""
    rule = label.split("/")[0]
    if start > 0 and doc[start - 1].lower_ in PREV_BLOCK.get(rule, ()):
        return False
    if end < len(doc) and doc[end].lower_ in NEXT_BLOCK.get(label, NEXT_BLOCK.get(rule, ())):
        return False
    if _negated(doc, start):
        return False
    lo, hi = _clause(doc, start, end)
    clause_words = {t.lower_ for t in doc[lo:hi]}
    if any(lo <= k < hi for k in past):
        return False
    if clause_words & CLAUSE_BLOCK.get(rule, set()):
        return False
    if {t.lower_ for t in doc[lo:start]} & MAKE_BELIEVE:
        return False
    return not (_defining(doc[start].sent) or _wording_check(doc, start, end))


def _ruled_out(doc: Doc, start: int, past: list[int]) -> bool:
    """For combination cues: the cue's sentence is about the past, make-believe or a definition."""
    sent = doc[start].sent
    return (_defining(sent) or any(sent.start <= k < sent.end for k in past)
            or bool({t.lower_ for t in sent} & MAKE_BELIEVE))


# ── public API ──────────────────────────────────────────────────────────────

def _detect_doc(doc: Doc) -> list[tuple[int, RedFlag]]:
    compiled = _compiled()
    strings = doc.vocab.strings
    past = [s for _, s, _ in compiled.past(doc)]
    found: list[tuple[int, RedFlag]] = []
    for match_id, start, end in compiled.rules(doc):
        label = strings[match_id]
        if _keep(doc, label, start, end, past):
            rule = label.split("/")[0]
            found.append((doc[start].idx, RedFlag(rule, REASONS[rule], doc[start:end].text)))
    # Combination rules: each kind of cue, un-negated, within a short stretch of text.
    cues: dict[str, list[tuple[int, int]]] = {}
    for match_id, start, end in compiled.cues(doc):
        if not _negated(doc, start):
            cues.setdefault(strings[match_id], []).append((start, end))
    for rule, needed in COMBOS:
        if not all(k in cues for k in needed):
            continue
        for anchor, _ in cues[needed[0]]:
            picks = [min(cues[k], key=lambda c: abs(c[0] - anchor)) for k in needed]
            lo, hi = min(c[0] for c in picks), max(c[1] for c in picks)
            if hi - lo > COMBO_WINDOW or any(_ruled_out(doc, c[0], past) for c in picks):
                continue
            found.append((doc[lo].idx, RedFlag(rule, REASONS[rule], doc[lo:hi].text[:200])))
            break
    return found


def detect(text: str) -> list[RedFlag]:
    """The red flags in a worker's message, at most one per rule, in the order they appear.

    Safe on any input: HTML is reduced to text first and long messages are read in
    pieces, so a 10,000-character paste costs milliseconds, not seconds.
    """
    if not text or not text.strip():
        return []
    if text.strip(" !.?").lower() in ALARM_WORDS:
        return [RedFlag("in_danger_now", REASONS["in_danger_now"], text.strip())]
    pipeline = textlib.nlp()
    found: list[tuple[int, RedFlag]] = []
    for offset, piece in textlib.chunks(textlib.clean(text)):
        found += [(offset + pos, flag) for pos, flag in _detect_doc(pipeline(piece))]
    seen: set[str] = set()
    out: list[RedFlag] = []
    for _, flag in sorted(found, key=lambda f: f[0]):
        if flag.rule not in seen:
            seen.add(flag.rule)
            out.append(flag)
    return out


def reasons(flags: list[RedFlag]) -> list[str]:
    """The plain-English reasons, for a reply or the record ("a weapon was mentioned")."""
    return [flag.reason for flag in flags]
