"""One name matcher: a name, alias, surname, title or role phrase → scored, explained actor candidates.

``match_actor("the Russian foreign minister", on=date(2025, 3, 1))`` answers a ``MatchResult``: the
candidates best first, each with a ``score`` (0–100), ``via`` (what matched) and an ``explanation``;
``ambiguous`` when two or more candidates are too close to choose between; ``best`` only when one
candidate is both confident and clear of the others. An ambiguous name is never guessed.

How a phrase is read (all on *folded* text: Unicode transliterated to ASCII with ``anyascii``, which
also drops diacritics and turns Cyrillic into Latin letters, then case-folded, periods and
apostrophes dropped, possessive ``'s`` removed, so "U.S." is ``us`` and "Лавров" is ``lavrov``):

- the whole phrase equal to an actor's slug, name or an alias; or equal once the common
  transliteration variants are folded too ("Sergei"/"Sergey", "Zelenskiy"/"Zelensky");
- a person's surname alone ("Lavrov"), which every person sharing it matches equally;
- a near spelling of a name or alias (rapidfuzz's ratio), scored below the exact forms;
- a role held on the date ``on``: the phrase's words that name a state or body (its name, an
  alias, or a nationality adjective: "Russian", "Brazil's", "U.S.") must agree with the role's
  organization (or the role holder's country), and the rest must be the role's title words
  ("foreign minister" = "Minister of Foreign Affairs"). A role's ``valid_from``/``valid_to`` are read
  at their ``date_precision``: a term that ended "May 2025" may or may not cover 15 May 2025,
  which scores lower and says so;
- a person's name or surname inside a longer phrase ("Foreign Minister Sergei Lavrov"), scored
  highest when the other words are a role that person holds.

Cost: ``ActorMatcher.load()`` runs two queries (actors, roles) however many actors there are, and a
matcher, once built, answers any number of phrases (a reconciliation batch, an article's speakers)
with no further query. Everything is compared in Python, the same on SQLite and PostgreSQL: folding
and transliteration are not something either database does alike (what SQL lacked). The index is
built per load; at the benchmark's 2,000 actors and 1,000 roles a load is a few tens of ms.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace

from anyascii import anyascii
from rapidfuzz import fuzz, process

from apps.actors.choices import ActorKind
from apps.core.choices import DatePrecision

# -- scores -------------------------------------------------------------------------------------
# One scale for every way of matching, so candidates found different ways compare.
SLUG_SCORE = 100.0
NAME_SCORE = 100.0
ALIAS_SCORE = 98.0
NAME_AND_ROLE_SCORE = 100.0  # a name in the phrase, and the other words a role that person holds
VARIANT_SCORE = 95.0  # equal once transliteration variants are folded ("Sergei" = "Sergey")
ROLE_SCORE = 95.0  # a role held on the date, title and organization both agreeing
SURNAME_AND_ROLE_SCORE = 97.0
SURNAME_SCORE = 88.0
NAME_IN_PHRASE_SCORE = 88.0  # a person's name inside a phrase whose other words say nothing we know
ROLE_WITHOUT_ORG_SCORE = 78.0  # "the foreign minister": which country's is not said
UNSURE_DATE_PENALTY = 12.0  # the date falls in the imprecise start or end of the term: offered, not taken
FUZZY_FACTOR = 0.9  # a near spelling scores 90% of its similarity (99 similar → 89)
FUZZY_CUTOFF = 85.0  # similarity below which a spelling is not offered at all

MATCH_SCORE = 85.0  # the best candidate must reach this to be taken without asking…
AMBIGUITY_MARGIN = 8.0  # …and lead the next by more than this; otherwise the answer is ambiguous
MIN_SCORE = 50.0  # candidates below this are not offered
DEFAULT_LIMIT = 5
MAX_PHRASE_WORDS = 12  # a name or role phrase is short; a longer one is cut, bounding the n-gram scan

# Words that carry no meaning for a title or a name: articles, linking words, courtesy titles.
STOPWORDS = frozenset(
    "the a an of for to and in on at de del der von van la le al el affairs mr mrs ms miss dr sir dame madam "  # noqa: SIM905
    "madame monsieur herr frau his her their its".split()
)
# Nationality adjectives that are not the country's name with a suffix (those are found by rule).
DEMONYMS: dict[str, tuple[str, ...]] = {
    "US": ("us", "usa", "american", "united states", "united states of america", "america"),
    "GB": ("uk", "british", "britain", "united kingdom", "great britain"),
    "FR": ("french",),
    "TR": ("turkish", "turkiye"),
    "NL": ("dutch",),
    "CH": ("swiss",),
    "SE": ("swedish",),
    "FI": ("finnish",),
    "DK": ("danish",),
    "NO": ("norwegian",),
    "PL": ("polish",),
    "ES": ("spanish",),
    "PT": ("portuguese",),
    "GR": ("greek",),
    "IE": ("irish",),
    "IS": ("icelandic",),
    "SA": ("saudi",),
    "AE": ("emirati", "uae"),
    "PH": ("filipino", "philippine"),
    "TH": ("thai",),
    "VN": ("vietnamese",),
    "JP": ("japanese",),
    "CN": ("chinese",),
    "AF": ("afghan",),
    "KZ": ("kazakh",),
    "UZ": ("uzbek",),
    "TJ": ("tajik",),
    "CZ": ("czech",),
    "SK": ("slovak",),
    "SI": ("slovenian", "slovene"),
    "BA": ("bosnian",),
    "NZ": ("new zealand",),
    "KP": ("north korean", "dprk"),
    "KR": ("south korean",),
    "VA": ("vatican", "holy see"),
    "BY": ("belarusian",),
}
# How a nationality adjective ends once the country's name (or it less its last letter) is taken
# off: Russia-n, Ukrain-ian, Chin-ese, Israel-i, German(y), Leban-ese, Mexic-an, Argentin-e.
DEMONYM_ENDINGS = frozenset({"", "n", "an", "ian", "ese", "i", "e", "ean"})

# Transliteration variants folded into one spelling, word by word: the same Cyrillic name is
# "Sergei" or "Sergey", "Zelenskiy", "Zelenskyy" or "Zelensky", "Mariya" or "Maria".
VARIANTS = [
    (re.compile(r"(?:iy|yy|ij|yj|ii)\b"), "y"),
    (re.compile(r"ey\b"), "ei"),
    (re.compile(r"iya"), "ia"),
    (re.compile(r"j"), "y"),
    (re.compile(r"ks"), "x"),
]


def fold(text: str) -> str:
    """Text as compared: ASCII (transliterated), case-folded, no periods, apostrophes or possessive 's."""
    text = anyascii(text).casefold()
    text = re.sub(r"'s\b", "", text.replace("’", "'"))
    text = text.replace(".", "").replace("'", "").replace("`", "")
    return " ".join(re.findall(r"[a-z0-9]+", text))


def loose(folded: str) -> str:
    """A folded text with transliteration variants made one: the key two spellings of a name share."""
    for pattern, replacement in VARIANTS:
        folded = pattern.sub(replacement, folded)
    return folded


def _demonyms(name: str) -> set[str]:
    """The nationality adjectives a state's folded name may take by rule ("russian", "ukrainian")."""
    forms = {stem + ending for stem in (name, name[:-1]) for ending in DEMONYM_ENDINGS if ending}
    if name.endswith("y"):
        forms.add(name[:-1])  # Germany → German
    return forms


def _strip_stopwords(words: Iterable[str]) -> list[str]:
    return [w for w in words if w not in STOPWORDS]


# -- dates ----------------------------------------------------------------------------------------


def _last_day(value: datetime.date, precision: str) -> datetime.date:
    """The last day a date at its precision may mean: "May 2025" may be any day up to 31 May."""
    if precision == DatePrecision.YEAR:
        return value.replace(month=12, day=31)
    if precision == DatePrecision.MONTH:
        return value.replace(day=calendar.monthrange(value.year, value.month)[1])
    return value


def held_on(
    on: datetime.date, valid_from: datetime.date | None, valid_to: datetime.date | None, precision: str
) -> str | None:
    """``"held"`` if the term certainly covers ``on``, ``"maybe"`` if only its imprecise start or end
    could ("from May 2025" may have begun on the 31st), None if it cannot. An empty start or end is
    open, as the roles list's ``valid_at`` reads it."""
    if (valid_from is not None and on < valid_from) or (valid_to is not None and on > _last_day(valid_to, precision)):
        return None
    if (valid_from is not None and on < _last_day(valid_from, precision)) or (valid_to is not None and on > valid_to):
        return "maybe"
    return "held"


def _describe_date(value: datetime.date | None, precision: str) -> str:
    if value is None:
        return "?"
    if precision == DatePrecision.YEAR:
        return f"{value:%Y}"
    if precision == DatePrecision.MONTH:
        return f"{value:%b %Y}"
    return value.isoformat()


# An organization named in a phrase: an actor's id, or a country's ISO code (from an adjective).
OrgRef = int | str


def _drop_article(folded: str) -> str:
    return folded[4:] if folded.startswith("the ") else folded


# -- rows and answers -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ActorRow:
    """What the matcher knows of an actor (one row of the actors query)."""

    id: int
    slug: str
    name: str
    kind: str
    country: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class RoleRow:
    """What the matcher knows of a role (one row of the roles query)."""

    id: str
    actor_id: int
    title: str
    organization_id: int | None = None
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None
    date_precision: str = DatePrecision.DAY


@dataclass(frozen=True)
class RoleMatch:
    """The role a candidate matched through, with its organization as an actor row (or None)."""

    role: RoleRow
    organization: ActorRow | None
    held: str  # "held" or "maybe" (the date falls in the imprecise start or end of the term)


@dataclass(frozen=True)
class Match:
    """One candidate: the actor, how well and why it matched.

    ``via`` is one of ``slug``, ``name``, ``alias``, ``variant`` (equal once transliteration
    variants are folded), ``surname``, ``similar`` (a near spelling), ``role``, ``name_and_role``,
    ``surname_and_role``, ``name_in_phrase``. ``match`` is set on the result's ``best`` only.
    """

    actor: ActorRow
    score: float
    via: str
    explanation: str
    role: RoleMatch | None = None
    match: bool = False

    @property
    def slug(self) -> str:
        return self.actor.slug


@dataclass
class MatchResult:
    """The answer for one phrase: candidates best first, and whether one of them is the match."""

    query: str
    on: datetime.date
    candidates: list[Match] = field(default_factory=list)
    ambiguous: bool = False

    @property
    def best(self) -> Match | None:
        """The one candidate to take without asking, or None (nothing good enough, or ambiguous)."""
        return self.candidates[0] if self.candidates and self.candidates[0].match else None


# -- the index ------------------------------------------------------------------------------------


class ActorMatcher:
    """Actors and roles indexed for matching; build once (``load()``), ask many times (``match``)."""

    def __init__(self, actors: Iterable[ActorRow], roles: Iterable[RoleRow] = ()):
        self.actors: dict[int, ActorRow] = {a.id: a for a in actors}
        self.by_slug: dict[str, int] = {a.slug: a.id for a in self.actors.values()}
        # folded name → [(actor id, via, the name as written)], and the same by loose key
        self.exact: dict[str, list[tuple[int, str, str]]] = {}
        self.loose: dict[str, list[tuple[int, str, str]]] = {}
        self.surnames: dict[str, set[int]] = {}
        self.persons_by_key: dict[str, set[int]] = {}  # names, aliases and surnames of persons (loose)
        # A state or body a phrase may name: by name or alias (its actor id), or by a nationality
        # adjective (its country code, so "French" names France's posts even with no France actor).
        self.org_words: dict[str, set[OrgRef]] = {}
        for actor in self.actors.values():
            for via, text in [("name", actor.name), *(("alias", a) for a in actor.aliases)]:
                key = _drop_article(fold(text))
                if not key:
                    continue
                self.exact.setdefault(key, []).append((actor.id, via, text))
                self.loose.setdefault(loose(key), []).append((actor.id, via, text))
                words = key.split()
                if actor.kind == ActorKind.PERSON:
                    self.persons_by_key.setdefault(loose(key), set()).add(actor.id)
                    if len(words) > 1:
                        self.surnames.setdefault(loose(words[-1]), set()).add(actor.id)
                    continue
                refs: set[OrgRef] = {actor.id}
                if actor.kind == ActorKind.STATE and actor.country:
                    refs.add(actor.country)
                self.org_words.setdefault(key, set()).update(refs)
                if actor.kind == ActorKind.STATE and len(key) >= 4:
                    for adjective in _demonyms(key):
                        self.org_words.setdefault(adjective, set()).update(refs)
        for country, adjectives in DEMONYMS.items():
            for adjective in adjectives:
                self.org_words.setdefault(adjective, set()).add(country)
        for surname, ids in self.surnames.items():
            self.persons_by_key.setdefault(surname, set()).update(ids)
        self.roles: list[RoleRow] = list(roles)
        self.roles_by_actor: dict[int, list[RoleRow]] = {}
        for role in self.roles:
            self.roles_by_actor.setdefault(role.actor_id, []).append(role)
        self.role_titles = {role.id: self._title(role) for role in self.roles}
        self.choices = list(self.exact)

    @classmethod
    def load(cls) -> ActorMatcher:
        """Every actor and role, read in two queries."""
        from apps.actors.models import Actor, Role

        actors = [
            ActorRow(pk, slug, name, kind, country, tuple(a for a in aliases or () if isinstance(a, str)))
            for pk, slug, name, kind, country, aliases in Actor.objects.order_by().values_list(
                "pk", "slug", "name", "kind", "country", "aliases"
            )
        ]
        roles = [
            RoleRow(str(pk), actor_id, title, organization_id, valid_from, valid_to, precision)
            for pk, actor_id, title, organization_id, valid_from, valid_to, precision in Role.objects.order_by(
                "-valid_from", "id"
            ).values_list("pk", "actor_id", "title", "organization_id", "valid_from", "valid_to", "date_precision")
        ]
        return cls(actors, roles)

    # -- organizations in a phrase ------------------------------------------------------------

    def organizations_in(self, words: list[str]) -> tuple[set[OrgRef], list[str]]:
        """The states and bodies a phrase names (longest word groups first), and its other words."""
        orgs: set[OrgRef] = set()
        rest: list[str] = []
        i = 0
        while i < len(words):
            for size in range(min(4, len(words) - i), 0, -1):
                group = " ".join(words[i : i + size])
                ids = self.org_words.get(group)
                if ids:
                    orgs |= ids
                    i += size
                    break
            else:
                rest.append(words[i])
                i += 1
        return orgs, rest

    def _title(self, role: RoleRow) -> tuple[frozenset[str], set[OrgRef]]:
        """A role's title words without those naming its organization, and the organizations it names."""
        orgs, rest = self.organizations_in(fold(role.title).split())
        return frozenset(_strip_stopwords(rest)), orgs

    def _role_orgs(self, role: RoleRow) -> set[OrgRef]:
        """Every state or body a phrase may name for this role: its organization and that body's country,
        what its title names ("U.S. …"), and (when it has neither) its holder's country."""
        orgs = set(self.role_titles[role.id][1])
        if role.organization_id is not None:
            orgs.add(role.organization_id)
            organization = self.actors.get(role.organization_id)
            if organization and organization.country:
                orgs.add(organization.country)
        if not orgs:
            holder = self.actors.get(role.actor_id)
            if holder and holder.country:
                orgs.add(holder.country)
        return orgs

    # -- matching -------------------------------------------------------------------------------

    def match(
        self,
        phrase: str,
        *,
        on: datetime.date | None = None,
        kinds: Collection[str] | None = None,
        limit: int = DEFAULT_LIMIT,
    ) -> MatchResult:
        """Candidates for ``phrase`` on the date ``on`` (default: today), best first, at most ``limit``.

        ``kinds`` keeps only actors of those kinds (``person``, ``state``, ``organization``, ``group``).
        """
        on = on or datetime.date.today()
        result = MatchResult(query=phrase, on=on)
        words = _drop_article(fold(phrase)).split()[:MAX_PHRASE_WORDS]
        if not words:
            return result
        best: dict[int, Match] = {}

        def offer(candidate: Match) -> None:
            if kinds and candidate.actor.kind not in kinds:
                return
            held = best.get(candidate.actor.id)
            if held is None or candidate.score > held.score:
                best[candidate.actor.id] = candidate

        self._names(phrase, words, offer)
        self._roles(words, on, offer)
        self._names_inside(words, on, offer)
        candidates = sorted(best.values(), key=lambda m: (-m.score, m.actor.name, m.actor.slug))
        candidates = [m for m in candidates if m.score >= MIN_SCORE][: max(1, limit)]
        if candidates:
            top = candidates[0]
            close = len(candidates) > 1 and candidates[1].score > top.score - AMBIGUITY_MARGIN
            result.ambiguous = close and candidates[1].score >= MIN_SCORE
            if top.score >= MATCH_SCORE and not close:
                candidates[0] = replace(top, match=True)
        result.candidates = candidates
        return result

    def _names(self, phrase: str, words: list[str], offer) -> None:
        """The whole phrase as a slug, name, alias, transliteration variant, surname or near spelling."""
        key = " ".join(words)
        for actor_id, via, text in self.exact.get(key, ()):
            score = NAME_SCORE if via == "name" else ALIAS_SCORE
            offer(Match(self.actors[actor_id], score, via, f"the {via} '{text}'"))
        slug = phrase.strip()
        if slug in self.by_slug:  # the spec's "an identifier as the query finds its entity"
            offer(Match(self.actors[self.by_slug[slug]], SLUG_SCORE, "slug", f"the slug '{slug}'"))
        for actor_id, via, text in self.loose.get(loose(key), ()):
            offer(
                Match(
                    self.actors[actor_id],
                    VARIANT_SCORE,
                    "variant",
                    f"the {via} '{text}', spelled differently ('{phrase.strip()}': transliteration or accents)",
                )
            )
        content = _strip_stopwords(words)
        if len(content) == 1:
            for actor_id in self.surnames.get(loose(content[0]), ()):
                actor = self.actors[actor_id]
                offer(Match(actor, SURNAME_SCORE, "surname", f"the surname of '{actor.name}'"))
        for text, similarity, _ in process.extract(
            key, self.choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=10
        ):
            for actor_id, via, written in self.exact[text]:
                offer(
                    Match(
                        self.actors[actor_id],
                        round(similarity * FUZZY_FACTOR, 1),
                        "similar",
                        f"spelled like the {via} '{written}' ({similarity:.0f}% similar)",
                    )
                )

    def _role_candidates(self, words: list[str], on: datetime.date, holders: Collection[int] | None = None):
        """(role, how well its title fits, whether the phrase names its organization, held) for each role
        held on ``on`` whose title the phrase's words name; ``holders`` limits it to those actors' roles."""
        orgs, rest = self.organizations_in(words)
        title_words = frozenset(_strip_stopwords(rest))
        if not title_words:
            return
        roles = (
            self.roles if holders is None else [r for holder in holders for r in self.roles_by_actor.get(holder, ())]
        )
        for role in roles:
            held = held_on(on, role.valid_from, role.valid_to, role.date_precision)
            if held is None:
                continue
            role_words = self.role_titles[role.id][0]
            fit = _title_fit(title_words, role_words)
            if not fit:
                continue
            role_orgs = self._role_orgs(role)
            if orgs and not orgs & role_orgs:
                continue  # the phrase names another country or body
            yield role, fit, bool(orgs), held

    def _role_match(self, role: RoleRow, held: str) -> RoleMatch:
        organization = self.actors.get(role.organization_id) if role.organization_id is not None else None
        return RoleMatch(role, organization, held)

    def _role_words(self, role: RoleRow, held: str, on: datetime.date) -> str:
        org = self.actors.get(role.organization_id) if role.organization_id is not None else None
        term = f"{_describe_date(role.valid_from, role.date_precision)} to " + (
            _describe_date(role.valid_to, role.date_precision) if role.valid_to else "now"
        )
        words = f"'{role.title}'" + (f" ({org.name})" if org else "") + f", {term}"
        if held == "maybe":
            words += f": may not have held it on {on.isoformat()} (the term's dates are only as precise as a "
            words += f"{role.date_precision})"
        else:
            words += f", held on {on.isoformat()}"
        return words

    def _roles(self, words: list[str], on: datetime.date, offer) -> None:
        """Role holders on ``on`` whose role the phrase names ("the Russian foreign minister")."""
        for role, fit, named_org, held in self._role_candidates(words, on):
            score = (ROLE_SCORE if named_org else ROLE_WITHOUT_ORG_SCORE) * fit
            if held == "maybe":
                score -= UNSURE_DATE_PENALTY
            why = "the role " + self._role_words(role, held, on)
            if not named_org:
                why += "; the phrase does not say which country or body"
            offer(Match(self.actors[role.actor_id], round(score, 1), "role", why, self._role_match(role, held)))

    def _names_inside(self, words: list[str], on: datetime.date, offer) -> None:
        """A person's name or surname inside a longer phrase ("Foreign Minister Sergei Lavrov")."""
        if len(words) < 2:
            return
        for size in range(len(words) - 1, 0, -1):
            for start in range(len(words) - size + 1):
                key = loose(" ".join(words[start : start + size]))
                ids = self.persons_by_key.get(key)
                if not ids:
                    continue
                rest = words[:start] + words[start + size :]
                written = " ".join(words[start : start + size])
                is_surname = size == 1 and key in self.surnames
                for actor_id in ids:
                    actor = self.actors[actor_id]
                    roles = list(self._role_candidates(rest, on, holders=[actor_id]))
                    if roles:
                        role, fit, _, held = max(roles, key=lambda r: (r[1], r[3] == "held"))
                        score = (SURNAME_AND_ROLE_SCORE if is_surname else NAME_AND_ROLE_SCORE) * fit
                        if held == "maybe":
                            score -= UNSURE_DATE_PENALTY
                        via = "surname_and_role" if is_surname else "name_and_role"
                        why = f"'{written}' names '{actor.name}', who holds the role " + self._role_words(
                            role, held, on
                        )
                        offer(Match(actor, round(score, 1), via, why, self._role_match(role, held)))
                    elif _strip_stopwords(rest):
                        score = SURNAME_SCORE - 10 if is_surname else NAME_IN_PHRASE_SCORE
                        why = f"'{written}' names '{actor.name}'; the other words ('{' '.join(rest)}') match no role "
                        why += f"they hold on {on.isoformat()}"
                        offer(Match(actor, score, "name_in_phrase", why))
            # the longest names found win; shorter groups inside them are not read again
            if any(self.persons_by_key.get(loose(" ".join(words[s : s + size]))) for s in range(len(words) - size + 1)):
                return


def _title_fit(phrase_words: frozenset[str], title_words: frozenset[str]) -> float:
    """How well a phrase's words name a title: 1 the same words, a near spelling less, a part 0.75."""
    if not title_words:
        return 0.0
    if phrase_words == title_words:
        return 1.0
    similarity = fuzz.token_sort_ratio(" ".join(sorted(phrase_words)), " ".join(sorted(title_words)))
    if similarity >= 88:
        return similarity / 100
    if phrase_words < title_words:
        return 0.75
    return 0.0


# Titles a news text puts before a name; with the words of every role title, what ``bare_name`` drops.
TITLE_WORDS = frozenset(
    "president vice prime minister foreign defence defense interior finance secretary general state chancellor "  # noqa: SIM905
    "governor senator sen rep representative congressman congresswoman ambassador envoy special spokesman "
    "spokeswoman spokesperson speaker mayor king queen prince princess premier deputy acting former chief "
    "leader commander adviser advisor director chairman chairwoman chair head supreme pope patriarch "
    "general gen col colonel lt admiral judge justice".split()
)


def bare_name(phrase: str, matcher: ActorMatcher | None = None) -> str:
    """A person's name as a text gives it, without the title before it: "Russian Foreign Minister Sergei
    Lavrov" → "Sergei Lavrov", "Chancellor Friedrich Merz" → "Friedrich Merz". What an actor draft for a
    new name should be called. Drops every word up to the last title word before the name (titles,
    courtesy titles and, given a ``matcher``, the words of its role titles and the names of its states
    and bodies); keeps the rest as written."""
    words = phrase.split()
    vocabulary = set(TITLE_WORDS | STOPWORDS)
    if matcher is not None:
        for title_words, _ in matcher.role_titles.values():
            vocabulary |= title_words
        vocabulary |= set(matcher.org_words)
    # Up to the last title word before the name: "Estonian Prime Minister X" loses "Estonian" too.
    last = max((i for i, word in enumerate(words[:-1]) if fold(word) in vocabulary), default=-1)
    return " ".join(words[last + 1 :]).strip(" ,;:")


def match_actor(
    name: str,
    *,
    on: datetime.date | None = None,
    kinds: Collection[str] | None = None,
    limit: int = DEFAULT_LIMIT,
) -> MatchResult:
    """Match one phrase against the database (two queries). To match many, ``ActorMatcher.load()`` once."""
    return ActorMatcher.load().match(name, on=on, kinds=kinds, limit=limit)


@dataclass(frozen=True)
class Speaker:
    """What intake needs of a speaker phrase: the actor to draft (or None) and the choices to offer."""

    actor: Match | None
    candidates: list[Match]
    ambiguous: bool
    new_name: str = ""  # no candidate at all: the name as the text gives it, without its title


def resolve_speaker(phrase: str, on: datetime.date | None, matcher: ActorMatcher | None = None) -> Speaker:
    """The hook for intake: a speaker phrase ("the Brazilian foreign minister", "Lavrov") as the article
    gives it, on the article's date. ``actor`` is set only for a confident, unambiguous match; otherwise
    ``candidates`` are the choices for an editor; with none, ``new_name`` is the name to draft a new
    actor under (the phrase without its title). Pass one ``matcher`` per article (``ActorMatcher.load()``,
    two queries) so its speakers cost no further query."""
    matcher = matcher or ActorMatcher.load()
    result = matcher.match(phrase, on=on)
    new_name = "" if result.candidates else bare_name(phrase, matcher)
    return Speaker(result.best, result.candidates, result.ambiguous, new_name)
