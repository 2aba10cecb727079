//! Talking to OpenAI-compatible chat endpoints: rendering the prompt,
//! sending it with retries and a response cache, and checking the verdict;
//! and, for practice, asking the model to phrase a follow-up question.

pub mod cache;
pub mod client;
pub mod evidence;
pub mod followup;
pub mod limiter;
pub mod outgoing;
pub mod prompt;
pub mod verdict;
