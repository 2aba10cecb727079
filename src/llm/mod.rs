//! Talking to OpenAI-compatible chat endpoints: rendering the prompt,
//! sending it with retries and a response cache, and checking the verdict.

pub mod cache;
pub mod client;
pub mod evidence;
pub mod limiter;
pub mod prompt;
pub mod verdict;
