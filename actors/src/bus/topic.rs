//! AMQP topic matching (`*` is one word, `#` zero or more), for the in-process bus.

/// True when `routing_key` matches `pattern`.
pub fn matches(pattern: &str, routing_key: &str) -> bool {
    let pattern: Vec<&str> = pattern.split('.').collect();
    let key: Vec<&str> = routing_key.split('.').collect();
    matches_words(&pattern, &key)
}

fn matches_words(pattern: &[&str], key: &[&str]) -> bool {
    match (pattern.first(), key.first()) {
        (None, None) => true,
        (Some(&"#"), _) => matches_words(&pattern[1..], key) || (!key.is_empty() && matches_words(pattern, &key[1..])),
        (Some(&"*"), Some(_)) => matches_words(&pattern[1..], &key[1..]),
        (Some(word), Some(k)) if word == k => matches_words(&pattern[1..], &key[1..]),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn topic_patterns_match_like_amqp() {
        assert!(matches("user.*", "user.created"));
        assert!(!matches("user.*", "user.created.late"));
        assert!(!matches("user.*", "account.created"));
        assert!(matches("#", "anything.at.all"));
        assert!(matches("user.#", "user"));
        assert!(matches("*.created", "user.created"));
        assert!(!matches("user.created", "user.updated"));
    }
}
