//! An Indonesian stemmer: the Nazief-Adriani algorithm with the
//! confix-stripping improvements of Asian et al. (2007), the enhanced rules
//! of Arifin et al. (2009) and the extra rules of the Sastrawi project, ported
//! rule for rule from Sastrawi for PHP (MIT licence,
//! <https://github.com/sastrawi/sastrawi>, commit 09db1bd): the same order of
//! steps, the same 42 prefix-disambiguation rules, the same "loop
//! pengembalian akhiran" (suffix restoring loop) and the same handling of
//! reduplicated words (`buku-buku`, `meniru-nirukan`).
//!
//! The algorithm removes affixes only while the result is not yet a root
//! word of the dictionary, and keeps the word unchanged when no root is
//! reached: the dictionary decides. Sastrawi's own dictionary (from Kateglo)
//! is licensed CC BY-NC-SA 3.0, which a project under MIT or Apache-2.0
//! cannot ship; Berguru's is the root list of the Indonesian Hunspell
//! dictionary (`search/data/root_words_id.txt`, see `search/data/README.md`).
//!
//! Only words of ASCII letters (and hyphens) are stemmed; anything else
//! (digits, accented letters) is returned unchanged.

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};

/// The root words Berguru ships, one per line (`#` comments allowed).
pub const ROOT_WORDS: &str = include_str!("../data/root_words_id.txt");

/// A stemmer over a root-word dictionary.
#[derive(Debug, Clone)]
pub struct Stemmer {
    roots: HashSet<String>,
}

/// The stemmer with Berguru's root-word dictionary, built once.
pub fn default_stemmer() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::from_list(ROOT_WORDS))
}

fn stem_cache() -> &'static Mutex<std::collections::HashMap<String, String>> {
    static CACHE: OnceLock<Mutex<std::collections::HashMap<String, String>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(std::collections::HashMap::new()))
}

/// Most words [`stem`] remembers. The vocabulary of practice texts and
/// queries is some tens of thousands of words; past the bound it stops
/// remembering new ones (a soak that wrote a fresh number into a summary
/// 45,000 times was growing the cache by every one of them).
pub const STEM_CACHE_WORDS: usize = 50_000;

/// Stems one lower-case word with the default stemmer, caching results
/// (index and query time stem the same words over and over). Words the
/// stemmer leaves alone (with digits or other non-letters: numbers, codes,
/// years) are answered at once and never cached.
pub fn stem(word: &str) -> String {
    if word.is_empty() || !word.bytes().all(|c| c.is_ascii_alphabetic() || c == b'-') {
        return default_stemmer().stem_word(word);
    }
    let cache = stem_cache();
    if let Ok(c) = cache.lock()
        && let Some(s) = c.get(word)
    {
        return s.clone();
    }
    let s = default_stemmer().stem_word(word);
    if let Ok(mut c) = cache.lock() {
        // Bounded: a flood of distinct words only stops caching.
        if c.len() < STEM_CACHE_WORDS {
            c.insert(word.to_owned(), s.clone());
        }
    }
    s
}

/// Affix types of a removal, as Sastrawi names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Affix {
    /// Derivational prefix.
    Dp,
    /// Derivational suffix (`-i`, `-kan`, `-an`, ...).
    Ds,
    /// Possessive pronoun (`-ku`, `-mu`, `-nya`).
    Pp,
    /// Particle (`-lah`, `-kah`, `-tah`, `-pun`).
    P,
}

#[derive(Clone, Debug)]
struct Removal {
    subject: String,
    result: String,
    removed: String,
    affix: Affix,
}

const PARTICLES: [&str; 4] = ["lah", "kah", "tah", "pun"];
const POSSESSIVES: [&str; 3] = ["ku", "mu", "nya"];
/// Longest first: a regex alternation anchored at the end matches the
/// leftmost, i.e. longest, suffix.
const DERIVATIONAL: [&str; 6] = ["isasi", "isme", "kan", "is", "an", "i"];

fn vowel(c: u8) -> bool {
    matches!(c, b'a' | b'i' | b'u' | b'e' | b'o')
}

fn consonant(c: u8) -> bool {
    c.is_ascii_lowercase() && !vowel(c)
}

/// `w[i]` if it exists.
fn at(w: &str, i: usize) -> Option<u8> {
    w.as_bytes().get(i).copied()
}

fn is(w: &str, i: usize, f: impl Fn(u8) -> bool) -> bool {
    at(w, i).is_some_and(f)
}

fn in_set(w: &str, i: usize, set: &[u8]) -> bool {
    at(w, i).is_some_and(|c| set.contains(&c))
}

/// One disambiguation rule of Sastrawi (`DisambiguatorPrefixRuleN`): the
/// candidate root after removing a prefix, or `None` when the rule does not
/// apply.
#[allow(clippy::too_many_lines)]
fn rule(id: &str, w: &str) -> Option<String> {
    let s = |from: usize| w[from..].to_owned();
    let pre = |p: &str, from: usize| format!("{p}{}", &w[from..]);
    // "[bcdfghjklmnpqstvwxyz]": consonants except r.
    let cons_no_r = |c: u8| consonant(c) && c != b'r';
    // "[bcdfghjkpqstvxz]": consonants except l, m, n, r, w, y.
    let cons_35 = |c: u8| b"bcdfghjkpqstvxz".contains(&c);
    match id {
        "1a" if w.starts_with("ber") && is(w, 3, vowel) => Some(s(3)),
        "1b" if w.starts_with("ber") && is(w, 3, vowel) => Some(pre("r", 3)),
        "2" if w.starts_with("ber")
            && is(w, 3, consonant)
            && is(w, 4, |c| c.is_ascii_lowercase()) =>
        {
            if w[5..].starts_with("er") {
                None
            } else {
                Some(s(3))
            }
        }
        "3" if w.starts_with("ber")
            && is(w, 3, consonant)
            && is(w, 4, |c| c.is_ascii_lowercase())
            && w.get(5..7) == Some("er")
            && is(w, 7, vowel) =>
        {
            if at(w, 3) == Some(b'r') {
                None
            } else {
                Some(s(3))
            }
        }
        "4" if w == "belajar" => Some("ajar".to_owned()),
        "5" if w.starts_with("be")
            && is(w, 2, cons_no_r)
            && w.get(3..5) == Some("er")
            && is(w, 5, consonant) =>
        {
            Some(s(2))
        }
        "6a" if w.starts_with("ter") && is(w, 3, vowel) => Some(s(3)),
        "6b" if w.starts_with("ter") && is(w, 3, vowel) => Some(pre("r", 3)),
        "7" if w.starts_with("ter")
            && is(w, 3, consonant)
            && w.get(4..6) == Some("er")
            && is(w, 6, vowel) =>
        {
            if at(w, 3) == Some(b'r') {
                None
            } else {
                Some(s(3))
            }
        }
        "8" if w.starts_with("ter") && is(w, 3, consonant) => {
            if at(w, 3) == Some(b'r') || w[4..].starts_with("er") {
                None
            } else {
                Some(s(3))
            }
        }
        "9" if w.starts_with("te")
            && is(w, 2, consonant)
            && w.get(3..5) == Some("er")
            && is(w, 5, consonant) =>
        {
            if at(w, 2) == Some(b'r') {
                None
            } else {
                Some(s(2))
            }
        }
        "10" if w.starts_with("me") && in_set(w, 2, b"lrwy") && is(w, 3, vowel) => Some(s(2)),
        "11" if w.starts_with("mem") && in_set(w, 3, b"bfv") => Some(s(3)),
        "12" if w.starts_with("mempe") => Some(s(3)),
        "13a" if w.starts_with("mem") && is(w, 3, vowel) => Some(pre("m", 3)),
        "13b" if w.starts_with("mem") && is(w, 3, vowel) => Some(pre("p", 3)),
        "14" if w.starts_with("men") && in_set(w, 3, b"cdjstz") => Some(s(3)),
        "15a" if w.starts_with("men") && is(w, 3, vowel) => Some(pre("n", 3)),
        "15b" if w.starts_with("men") && is(w, 3, vowel) => Some(pre("t", 3)),
        // Sastrawi's class is "[g|h|q|k]"; `|` never occurs in a word.
        "16" if w.starts_with("meng") && in_set(w, 4, b"ghqk") => Some(s(4)),
        "17a" if w.starts_with("meng") && is(w, 4, vowel) => Some(s(4)),
        "17b" if w.starts_with("meng") && is(w, 4, vowel) => Some(pre("k", 4)),
        "17c" if w.starts_with("menge") => Some(s(5)),
        "17d" if w.starts_with("meng") && is(w, 4, vowel) => Some(pre("ng", 4)),
        "18a" if w.starts_with("meny") && is(w, 4, vowel) => Some(pre("ny", 4)),
        "18b" if w.starts_with("meny") && is(w, 4, vowel) => Some(pre("s", 4)),
        "19" if w.starts_with("memp")
            && is(w, 4, |c| c.is_ascii_lowercase() && c != b'e' && c != b'n') =>
        {
            Some(s(3))
        }
        "20" if w.starts_with("pe") && in_set(w, 2, b"wy") && is(w, 3, vowel) => Some(s(2)),
        "21a" if w.starts_with("per") && is(w, 3, vowel) => Some(s(3)),
        "21b" if w.starts_with("per") && is(w, 3, vowel) => Some(s(2)),
        "23" if w.starts_with("per")
            && is(w, 3, consonant)
            && is(w, 4, |c| c.is_ascii_lowercase()) =>
        {
            if w[5..].starts_with("er") {
                None
            } else {
                Some(s(3))
            }
        }
        "24" if w.starts_with("per")
            && is(w, 3, consonant)
            && is(w, 4, |c| c.is_ascii_lowercase())
            && w.get(5..7) == Some("er")
            && is(w, 7, vowel) =>
        {
            if at(w, 3) == Some(b'r') {
                None
            } else {
                Some(s(3))
            }
        }
        "25" if w.starts_with("pem") && in_set(w, 3, b"bfv") => Some(s(3)),
        "26a" if w.starts_with("pem") && is(w, 3, vowel) => Some(pre("m", 3)),
        "26b" if w.starts_with("pem") && is(w, 3, vowel) => Some(pre("p", 3)),
        "27" if w.starts_with("pen") && in_set(w, 3, b"cdjstz") => Some(s(3)),
        "28a" if w.starts_with("pen") && is(w, 3, vowel) => Some(pre("n", 3)),
        "28b" if w.starts_with("pen") && is(w, 3, vowel) => Some(pre("t", 3)),
        "29" if w.starts_with("peng") && is(w, 4, consonant) => Some(s(4)),
        "30a" if w.starts_with("peng") && is(w, 4, vowel) => Some(s(4)),
        "30b" if w.starts_with("peng") && is(w, 4, vowel) => Some(pre("k", 4)),
        "30c" if w.starts_with("penge") => Some(s(5)),
        "31a" if w.starts_with("peny") && is(w, 4, vowel) => Some(pre("ny", 4)),
        "31b" if w.starts_with("peny") && is(w, 4, vowel) => Some(pre("s", 4)),
        "32" if w == "pelajar" => Some("ajar".to_owned()),
        "32" if w.starts_with("pel") && is(w, 3, vowel) => Some(s(2)),
        "34" if w.starts_with("pe") && is(w, 2, consonant) => {
            if w[3..].starts_with("er") {
                None
            } else {
                Some(s(2))
            }
        }
        "35" if w.starts_with("ter")
            && is(w, 3, cons_35)
            && w.get(4..6) == Some("er")
            && is(w, 6, consonant) =>
        {
            Some(s(3))
        }
        "36" if w.starts_with("pe")
            && is(w, 2, cons_35)
            && w.get(3..5) == Some("er")
            && is(w, 5, consonant) =>
        {
            Some(s(2))
        }
        // Infixes -er-, -el-, -em-, -in-: "a" keeps the word, "b" removes
        // the infix.
        "37a" | "38a" | "39a" | "40a" if infix(w, id) => Some(w.to_owned()),
        "37b" | "38b" | "39b" | "40b" if infix(w, id) => Some(format!("{}{}", &w[..1], &w[3..])),
        "41" if w.starts_with("ku") => Some(s(2)),
        "42" if w.starts_with("kau") => Some(s(3)),
        _ => None,
    }
}

/// Whether `w` is consonant + the infix of rule 37-40 + vowel.
fn infix(w: &str, id: &str) -> bool {
    let inf = match &id[..2] {
        "37" => "er",
        "38" => "el",
        "39" => "em",
        _ => "in",
    };
    is(w, 0, consonant) && w.get(1..3) == Some(inf) && is(w, 3, vowel)
}

/// The prefix visitors in Sastrawi's order: each is a group of rules tried
/// in turn until one gives a root.
const PREFIX_RULES: &[&[&str]] = &[
    &["1a", "1b"],
    &["2"],
    &["3"],
    &["4"],
    &["5"],
    &["6a", "6b"],
    &["7"],
    &["8"],
    &["9"],
    &["10"],
    &["11"],
    &["12"],
    &["13a", "13b"],
    &["14"],
    &["15a", "15b"],
    &["16"],
    &["17a", "17b", "17c", "17d"],
    &["18a", "18b"],
    &["19"],
    &["20"],
    &["21a", "21b"],
    &["23"],
    &["24"],
    &["25"],
    &["26a", "26b"],
    &["27"],
    &["28a", "28b"],
    &["29"],
    &["30a", "30b", "30c"],
    &["31a", "31b"],
    &["32"],
    &["34"],
    &["35"],
    &["36"],
    &["37a", "37b"],
    &["38a", "38b"],
    &["39a", "39b"],
    &["40a", "40b"],
    &["41"],
    &["42"],
];

/// The state of stemming one word (Sastrawi's `Context`).
struct Context<'a> {
    roots: &'a HashSet<String>,
    original: String,
    current: String,
    stopped: bool,
    removals: Vec<Removal>,
}

impl Context<'_> {
    fn known(&self) -> bool {
        self.roots.contains(&self.current)
    }

    fn record(&mut self, result: String, removed: String, affix: Affix) {
        self.removals.push(Removal {
            subject: self.current.clone(),
            result: result.clone(),
            removed,
            affix,
        });
        self.current = result;
    }

    /// Removes the longest of `suffixes` (with hyphens before it for
    /// particles and possessives).
    fn remove_suffix(&mut self, suffixes: &[&str], hyphens: bool, affix: Affix) {
        let w = &self.current;
        let Some(sfx) = suffixes.iter().find(|s| w.ends_with(*s)) else {
            return;
        };
        let mut cut = w.len() - sfx.len();
        if hyphens {
            while cut > 0 && w.as_bytes()[cut - 1] == b'-' {
                cut -= 1;
            }
        }
        let (result, removed) = (w[..cut].to_owned(), w[cut..].to_owned());
        if result != *w {
            self.record(result, removed, affix);
        }
    }

    /// Visitor `n` of the suffix list.
    fn suffix_visitor(&mut self, n: usize) {
        match n {
            0 => self.remove_suffix(&PARTICLES, true, Affix::P),
            1 => self.remove_suffix(&POSSESSIVES, true, Affix::Pp),
            _ => self.remove_suffix(&DERIVATIONAL, false, Affix::Ds),
        }
    }

    fn remove_suffixes(&mut self) {
        for n in 0..3 {
            self.suffix_visitor(n);
            if self.known() || self.stopped {
                return;
            }
        }
    }

    /// Visitor `n` of the prefix list: 0 removes a plain prefix, then the
    /// disambiguation groups.
    fn prefix_visitor(&mut self, n: usize) {
        if n == 0 {
            for p in ["di", "ke", "se"] {
                if let Some(rest) = self.current.strip_prefix(p) {
                    let rest = rest.to_owned();
                    self.record(rest, p.to_owned(), Affix::Dp);
                    return;
                }
            }
            return;
        }
        let mut result = None;
        for id in PREFIX_RULES[n - 1] {
            result = rule(id, &self.current);
            if result.as_ref().is_some_and(|r| self.roots.contains(r)) {
                break;
            }
        }
        if let Some(r) = result {
            let removed = self.current.replacen(&r, "", 1);
            self.record(r, removed, Affix::Dp);
        }
    }

    /// One pass over the prefix visitors, stopping after the first removal.
    fn accept_prefix_visitors(&mut self) {
        let before = self.removals.len();
        for n in 0..=PREFIX_RULES.len() {
            self.prefix_visitor(n);
            if self.known() || self.stopped || self.removals.len() > before {
                return;
            }
        }
    }

    /// Up to three prefixes.
    fn remove_prefixes(&mut self) {
        for _ in 0..3 {
            self.accept_prefix_visitors();
            if self.known() {
                return;
            }
        }
    }

    fn run(&mut self) {
        if self.known() {
            return;
        }
        // Sastrawi does not stem words of three letters or fewer; it sets a
        // flag that ends every later visitor loop after its first visitor.
        if self.current.len() <= 3 {
            self.stopped = true;
        }
        if self.known() {
            return;
        }
        // Confix stripping: prefix before suffix for be-lah, be-an, me-i,
        // di-i, pe-i and ter-i.
        let o = self.original.as_str();
        let confix = (o.starts_with("be") && (o.ends_with("lah") || o.ends_with("an")))
            || ((o.starts_with("me") || o.starts_with("di") || o.starts_with("pe"))
                && o.ends_with('i'))
            || (o.starts_with("ter") && o.ends_with('i'));
        if confix && confix_fits(o) {
            self.remove_prefixes();
            if self.known() {
                return;
            }
            self.remove_suffixes();
            if self.known() {
                return;
            }
            self.current = self.original.clone();
            self.removals.clear();
        }
        self.remove_suffixes();
        if self.known() {
            return;
        }
        self.remove_prefixes();
        if self.known() {
            return;
        }
        self.restore_suffixes();
    }

    /// Sastrawi's "loop pengembalian akhiran": put back the prefixes, then
    /// the removed suffixes one by one (last removed first), trying the
    /// prefixes again each time.
    fn restore_suffixes(&mut self) {
        if let Some(first) = self.removals.iter().find(|r| r.affix == Affix::Dp) {
            self.current = first.subject.clone();
        }
        self.removals.retain(|r| r.affix != Affix::Dp);
        let saved = self.removals.clone();
        let current = self.current.clone();
        for removal in saved.iter().rev() {
            if removal.affix == Affix::Dp {
                continue;
            }
            if removal.removed == "kan" {
                self.current = format!("{}k", removal.result);
                self.remove_prefixes();
                if self.known() {
                    return;
                }
                self.current = format!("{}kan", removal.result);
            } else {
                self.current = removal.subject.clone();
            }
            self.remove_prefixes();
            if self.known() {
                return;
            }
            self.removals = saved.clone();
            self.current = current.clone();
        }
    }
}

/// The regexes `^be(.*)lah$` and the like need the prefix and the suffix not
/// to overlap.
fn confix_fits(o: &str) -> bool {
    let pairs: [(&str, &str); 6] = [
        ("be", "lah"),
        ("be", "an"),
        ("me", "i"),
        ("di", "i"),
        ("pe", "i"),
        ("ter", "i"),
    ];
    pairs
        .iter()
        .any(|(p, s)| o.len() >= p.len() + s.len() && o.starts_with(p) && o.ends_with(s))
}

impl Stemmer {
    /// A stemmer over the given root words (lower-cased).
    pub fn new<I, S>(roots: I) -> Stemmer
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        Stemmer {
            roots: roots
                .into_iter()
                .map(|w| w.as_ref().trim().to_lowercase())
                .filter(|w| !w.is_empty())
                .collect(),
        }
    }

    /// A stemmer over a word list: one word per line, `#` comments and blank
    /// lines skipped.
    pub fn from_list(text: &str) -> Stemmer {
        Stemmer::new(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#')),
        )
    }

    /// Number of root words.
    pub fn len(&self) -> usize {
        self.roots.len()
    }

    /// Whether the dictionary is empty.
    pub fn is_empty(&self) -> bool {
        self.roots.is_empty()
    }

    /// Whether `word` is a root word.
    pub fn is_root(&self, word: &str) -> bool {
        self.roots.contains(word)
    }

    /// The root of one word (lower-cased first); the word itself when no
    /// root is found or the word is not made of ASCII letters and hyphens.
    pub fn stem_word(&self, word: &str) -> String {
        let word = word.to_lowercase();
        if word.is_empty() || !word.bytes().all(|c| c.is_ascii_lowercase() || c == b'-') {
            return word;
        }
        if is_plural(&word) {
            self.stem_plural(&word)
        } else {
            self.stem_singular(&word)
        }
    }

    /// Stems every word of a text (Sastrawi's normalisation: lower case,
    /// anything but letters, digits, spaces and hyphens becomes a space).
    pub fn stem_text(&self, text: &str) -> String {
        let normal: String = text
            .to_lowercase()
            .chars()
            .map(|c| {
                if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' {
                    c
                } else {
                    ' '
                }
            })
            .collect();
        normal
            .split_whitespace()
            .map(|w| self.stem_word(w))
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn stem_singular(&self, word: &str) -> String {
        let mut ctx = Context {
            roots: &self.roots,
            original: word.to_owned(),
            current: word.to_owned(),
            stopped: false,
            removals: Vec::new(),
        };
        ctx.run();
        if ctx.known() {
            ctx.current
        } else {
            ctx.original
        }
    }

    fn stem_plural(&self, plural: &str) -> String {
        let Some((mut first, mut second)) = plural
            .rsplit_once('-')
            .map(|(a, b)| (a.to_owned(), b.to_owned()))
        else {
            return plural.to_owned();
        };
        // malaikat-malaikat-nya -> malaikat, malaikat-nya
        if (PARTICLES.contains(&second.as_str()) || POSSESSIVES.contains(&second.as_str()))
            && let Some((a, b)) = first.clone().rsplit_once('-')
        {
            second = format!("{b}-{second}");
            first = a.to_owned();
        }
        let root1 = self.stem_singular(&first);
        let mut root2 = self.stem_singular(&second);
        // meniru-nirukan -> tiru
        if !self.roots.contains(&second) && root2 == second {
            root2 = self.stem_singular(&format!("me{second}"));
        }
        if root1 == root2 {
            root1
        } else {
            plural.to_owned()
        }
    }
}

/// Whether a word is reduplicated (`buku-buku`), not just followed by a
/// hyphenated clitic (`kuasa-mu`).
fn is_plural(word: &str) -> bool {
    if let Some((head, tail)) = word.rsplit_once('-')
        && (PARTICLES.contains(&tail) || POSSESSIVES.contains(&tail))
    {
        return head.contains('-');
    }
    word.contains('-')
}

#[cfg(test)]
mod tests;
