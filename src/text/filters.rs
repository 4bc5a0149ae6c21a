//! Token filters: stop words and Snowball stemming.

use serde::{Deserialize, Serialize};

/// English stop words: scikit-learn's `ENGLISH_STOP_WORDS` (318 words, from the Glasgow
/// Information Retrieval Group list) minus the 20 words that carry stance or contrast, which
/// framelens keeps: against, although, but, cannot, except, however, neither, never, no, nobody,
/// none, noone, nor, not, nothing, nowhere, only, though, without, yet. 298 words, sorted.
/// Produced by `python3 scripts/stop_words.py`.
pub const ENGLISH_STOP_WORDS: &[&str] = &[
    "a", "about", "above", "across", "after", "afterwards", "again", "all", "almost", "alone",
    "along", "already", "also", "always", "am", "among", "amongst", "amoungst", "amount", "an",
    "and", "another", "any", "anyhow", "anyone", "anything", "anyway", "anywhere", "are", "around",
    "as", "at", "back", "be", "became", "because", "become", "becomes", "becoming", "been",
    "before", "beforehand", "behind", "being", "below", "beside", "besides", "between", "beyond",
    "bill", "both", "bottom", "by", "call", "can", "cant", "co", "con", "could", "couldnt", "cry",
    "de", "describe", "detail", "do", "done", "down", "due", "during", "each", "eg", "eight",
    "either", "eleven", "else", "elsewhere", "empty", "enough", "etc", "even", "ever", "every",
    "everyone", "everything", "everywhere", "few", "fifteen", "fifty", "fill", "find", "fire",
    "first", "five", "for", "former", "formerly", "forty", "found", "four", "from", "front", "full",
    "further", "get", "give", "go", "had", "has", "hasnt", "have", "he", "hence", "her", "here",
    "hereafter", "hereby", "herein", "hereupon", "hers", "herself", "him", "himself", "his", "how",
    "hundred", "i", "ie", "if", "in", "inc", "indeed", "interest", "into", "is", "it", "its",
    "itself", "keep", "last", "latter", "latterly", "least", "less", "ltd", "made", "many", "may",
    "me", "meanwhile", "might", "mill", "mine", "more", "moreover", "most", "mostly", "move",
    "much", "must", "my", "myself", "name", "namely", "nevertheless", "next", "nine", "now", "of",
    "off", "often", "on", "once", "one", "onto", "or", "other", "others", "otherwise", "our",
    "ours", "ourselves", "out", "over", "own", "part", "per", "perhaps", "please", "put", "rather",
    "re", "same", "see", "seem", "seemed", "seeming", "seems", "serious", "several", "she",
    "should", "show", "side", "since", "sincere", "six", "sixty", "so", "some", "somehow",
    "someone", "something", "sometime", "sometimes", "somewhere", "still", "such", "system", "take",
    "ten", "than", "that", "the", "their", "them", "themselves", "then", "thence", "there",
    "thereafter", "thereby", "therefore", "therein", "thereupon", "these", "they", "thick", "thin",
    "third", "this", "those", "three", "through", "throughout", "thru", "thus", "to", "together",
    "too", "top", "toward", "towards", "twelve", "twenty", "two", "un", "under", "until", "up",
    "upon", "us", "very", "via", "was", "we", "well", "were", "what", "whatever", "when", "whence",
    "whenever", "where", "whereafter", "whereas", "whereby", "wherein", "whereupon", "wherever",
    "whether", "which", "while", "whither", "who", "whoever", "whole", "whom", "whose", "why",
    "will", "with", "within", "would", "you", "your", "yours", "yourself", "yourselves",
];

/// Stop words removed by the word analyzer (after lowercasing, before stemming).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum StopWords {
    /// Keep every token.
    #[default]
    None,
    /// [`ENGLISH_STOP_WORDS`], which keeps negations and other stance cues.
    English,
    /// A user list (one word per line in the file given on the command line), stored in full
    /// in the model so scoring does not depend on the file.
    List(Vec<String>),
}

impl StopWords {
    /// The words, as owned strings.
    pub fn words(&self) -> Vec<String> {
        match self {
            StopWords::None => Vec::new(),
            StopWords::English => ENGLISH_STOP_WORDS.iter().map(|s| s.to_string()).collect(),
            StopWords::List(w) => w.clone(),
        }
    }
}

/// Languages of the Snowball stemmers in rust-stemmers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum Language {
    Arabic,
    Danish,
    Dutch,
    English,
    Finnish,
    French,
    German,
    Greek,
    Hungarian,
    Italian,
    Norwegian,
    Portuguese,
    Romanian,
    Russian,
    Spanish,
    Swedish,
    Tamil,
    Turkish,
}

impl Language {
    /// Every language, in the order of its name.
    pub const ALL: [Language; 18] = [
        Language::Arabic,
        Language::Danish,
        Language::Dutch,
        Language::English,
        Language::Finnish,
        Language::French,
        Language::German,
        Language::Greek,
        Language::Hungarian,
        Language::Italian,
        Language::Norwegian,
        Language::Portuguese,
        Language::Romanian,
        Language::Russian,
        Language::Spanish,
        Language::Swedish,
        Language::Tamil,
        Language::Turkish,
    ];

    /// Lower-case name, as on the command line.
    pub fn name(self) -> &'static str {
        use Language::*;
        match self {
            Arabic => "arabic",
            Danish => "danish",
            Dutch => "dutch",
            English => "english",
            Finnish => "finnish",
            French => "french",
            German => "german",
            Greek => "greek",
            Hungarian => "hungarian",
            Italian => "italian",
            Norwegian => "norwegian",
            Portuguese => "portuguese",
            Romanian => "romanian",
            Russian => "russian",
            Spanish => "spanish",
            Swedish => "swedish",
            Tamil => "tamil",
            Turkish => "turkish",
        }
    }

    /// Parses a lower-case language name.
    pub fn from_name(name: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|l| l.name() == name)
    }

    pub(crate) fn algorithm(self) -> rust_stemmers::Algorithm {
        use rust_stemmers::Algorithm as A;
        use Language::*;
        match self {
            Arabic => A::Arabic,
            Danish => A::Danish,
            Dutch => A::Dutch,
            English => A::English,
            Finnish => A::Finnish,
            French => A::French,
            German => A::German,
            Greek => A::Greek,
            Hungarian => A::Hungarian,
            Italian => A::Italian,
            Norwegian => A::Norwegian,
            Portuguese => A::Portuguese,
            Romanian => A::Romanian,
            Russian => A::Russian,
            Spanish => A::Spanish,
            Swedish => A::Swedish,
            Tamil => A::Tamil,
            Turkish => A::Turkish,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_list_keeps_stance_cues_and_is_sorted() {
        for w in ["not", "no", "never", "against", "without", "but", "cannot", "nor"] {
            assert!(!ENGLISH_STOP_WORDS.contains(&w), "{w} must not be a stop word");
        }
        assert!(ENGLISH_STOP_WORDS.contains(&"the"));
        assert_eq!(ENGLISH_STOP_WORDS.len(), 298);
        assert!(ENGLISH_STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn every_language_round_trips_and_stems() {
        for l in Language::ALL {
            assert_eq!(Language::from_name(l.name()), Some(l));
            let _ = rust_stemmers::Stemmer::create(l.algorithm()).stem("words");
        }
        assert_eq!(Language::from_name("klingon"), None);
    }
}
