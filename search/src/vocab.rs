//! Indonesian and domain vocabulary shared by both engines: synonyms, a short
//! stop-word list (function words only), hyphenated spellings and the typo
//! budget.

/// Groups of interchangeable phrases. Every phrase of a group finds what the
/// others find, in both engines.
pub const SYNONYMS: &[&[&str]] = &[
    &[
        "spbe",
        "e-government",
        "egovernment",
        "sistem pemerintahan berbasis elektronik",
        // Meilisearch matches synonyms of at most three words.
        "pemerintahan berbasis elektronik",
    ],
    &["smart city", "kota cerdas"],
    &[
        "e-office",
        "eoffice",
        "tata naskah dinas elektronik",
        "naskah dinas elektronik",
    ],
    &["satu data indonesia", "satu data"],
    &["umkm", "usaha mikro"],
    &["pemda", "pemerintah daerah"],
    &["desa digital", "smart village"],
    &["kemiskinan", "poverty"],
    &["stunting", "gizi buruk"],
];

/// Function words dropped from queries. `satu` is not one of them: "Satu
/// Data" must stay searchable.
pub const STOP_WORDS: &[&str] = &[
    "dan", "di", "ke", "dari", "yang", "untuk", "dengan", "pada", "atau", "ini", "itu", "oleh",
    "dalam", "bagi", "sebagai", "the", "of", "and",
];

/// Lower-cased words of a text: runs of letters and digits.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether a word is a stop word.
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.contains(&word)
}

/// Joined spellings of hyphenated or split words, so that `e-Office` is also
/// found as `eoffice` and `e office`: every `a-b` in the text gives `ab`.
pub fn aliases(text: &str) -> String {
    let mut out = Vec::new();
    for token in text.split_whitespace() {
        let token = token.trim_matches(|c: char| !c.is_alphanumeric());
        if token.contains('-') {
            let joined: String = token
                .chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect();
            if !joined.is_empty() {
                out.push(joined);
            }
        }
    }
    out.join(" ")
}

/// How many typos a word of this length may have: none below 5 characters,
/// one from 5, two from 9 (Meilisearch's defaults).
pub fn typo_budget(word: &str) -> u8 {
    match word.chars().count() {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// The query words after dropping stop words (all kept if all are stop
/// words).
pub fn query_words(query: &str) -> Vec<String> {
    let all = words(query);
    let kept: Vec<String> = all.iter().filter(|w| !is_stop_word(w)).cloned().collect();
    if kept.is_empty() { all } else { kept }
}

/// Alternative spellings of a query: phrases of a synonym group found in the
/// query (as whole words) give the other phrases of the group, and adjacent
/// words give their joined form ("e office" -> "eoffice").
pub fn expansions(words: &[String]) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    for group in SYNONYMS {
        let phrases: Vec<Vec<String>> = group.iter().map(|p| self::words(p)).collect();
        let present = phrases
            .iter()
            .any(|p| !p.is_empty() && words.windows(p.len()).any(|w| w == p.as_slice()));
        let joined_present = group.iter().any(|p| {
            let joined: String = self::words(p).concat();
            words.contains(&joined)
        });
        if present || joined_present {
            for p in phrases {
                if !p.is_empty() && !out.contains(&p) {
                    out.push(p);
                }
            }
        }
    }
    for pair in words.windows(2) {
        let joined = vec![format!("{}{}", pair[0], pair[1])];
        if !out.contains(&joined) {
            out.push(joined);
        }
    }
    out
}

/// The query with every synonym phrase of more than three words replaced by
/// the first phrase of its group of at most three words: Meilisearch matches
/// synonyms of at most three words, so "tata naskah dinas elektronik" is
/// sent as "e-office".
pub fn shorten_long_synonyms(query: &str) -> String {
    let mut ws = words(query);
    for group in SYNONYMS {
        let Some(short) = group.iter().find(|p| words(p).len() <= 3) else {
            continue;
        };
        for phrase in group.iter().filter(|p| words(p).len() > 3) {
            let p = words(phrase);
            while let Some(i) = ws.windows(p.len()).position(|w| w == p.as_slice()) {
                ws.splice(i..i + p.len(), [(*short).to_owned()]);
            }
        }
    }
    ws.join(" ")
}

/// Levenshtein distance with adjacent transpositions counted as one, bounded:
/// returns `None` when above `max`.
pub fn distance(a: &str, b: &str, max: u8) -> Option<u8> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let max = usize::from(max);
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let mut prev2: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[b.len()];
    if d <= max { u8::try_from(d).ok() } else { None }
}

/// Whether a word of a text matches a query word: equal within the typo
/// budget, or (for the last query word) starting with it.
pub fn word_matches(text_word: &str, query_word: &str, prefix: bool) -> bool {
    let budget = typo_budget(query_word);
    if prefix && query_word.chars().count() >= 2 && text_word.starts_with(query_word) {
        return true;
    }
    distance(text_word, query_word, budget).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyphenated_words_get_joined_aliases() {
        assert_eq!(aliases("Aplikasi e-Office dan e-KTP."), "eoffice ektp");
        assert_eq!(aliases("tanpa tanda hubung"), "");
    }

    #[test]
    fn stop_words_drop_but_satu_stays() {
        assert_eq!(
            query_words("satu data untuk desa"),
            vec!["satu", "data", "desa"]
        );
        assert_eq!(query_words("dan"), vec!["dan"]);
    }

    #[test]
    fn synonyms_and_joined_words_expand() {
        let e = expansions(&words("e office"));
        assert!(e.contains(&vec!["eoffice".to_owned()]));
        assert!(e.contains(&words("tata naskah dinas elektronik")));
        let s = expansions(&words("kota cerdas bandung"));
        assert!(s.contains(&words("smart city")));
        let spbe = expansions(&words("spbe"));
        assert!(spbe.contains(&words("sistem pemerintahan berbasis elektronik")));
    }

    #[test]
    fn long_synonym_phrases_are_shortened_for_meilisearch() {
        assert_eq!(
            shorten_long_synonyms("Tata Naskah Dinas Elektronik Sumedang"),
            "e-office sumedang"
        );
        assert_eq!(
            shorten_long_synonyms("sistem pemerintahan berbasis elektronik"),
            "spbe"
        );
        assert_eq!(shorten_long_synonyms("desa digital"), "desa digital");
    }

    #[test]
    fn typo_distance_is_bounded() {
        assert_eq!(distance("digtal", "digital", 1), Some(1));
        assert_eq!(distance("ofice", "office", 1), Some(1));
        assert_eq!(distance("abcd", "wxyz", 2), None);
        assert_eq!(distance("sumedang", "sumedagn", 1), Some(1));
        assert!(word_matches("digital", "digtal", false));
        assert!(!word_matches("data", "dana", false));
        assert!(word_matches("digitalisasi", "digi", true));
    }
}
