//! Request and token rate limits shared by every worker of a batch.
//!
//! Requests per minute are spaced evenly (one slot every 60/rpm seconds);
//! tokens per minute are a bucket that refills continuously. A request
//! reserves its estimated tokens before it is sent and the estimate is
//! settled against the real usage after, so the limit holds across workers.

use std::time::Duration;

use tokio::time::Instant;

use tokio::sync::Mutex;

#[derive(Debug)]
struct State {
    next_request: Instant,
    tokens: f64,
    refilled: Instant,
}

#[derive(Debug)]
pub struct Limiter {
    request_gap: Option<Duration>,
    tpm: Option<f64>,
    state: Mutex<State>,
}

impl Limiter {
    pub fn new(rpm: Option<u32>, tpm: Option<u32>) -> Option<Limiter> {
        if rpm.is_none() && tpm.is_none() {
            return None;
        }
        let now = Instant::now();
        Some(Limiter {
            request_gap: rpm
                .filter(|r| *r > 0)
                .map(|r| Duration::from_secs_f64(60.0 / f64::from(r))),
            tpm: tpm.filter(|t| *t > 0).map(f64::from),
            state: Mutex::new(State {
                next_request: now,
                tokens: tpm.map_or(0.0, f64::from),
                refilled: now,
            }),
        })
    }

    /// Waits until one more request of about `tokens` tokens fits both limits.
    pub async fn acquire(&self, tokens: u64) {
        loop {
            let wait = {
                let mut s = self.state.lock().await;
                let now = Instant::now();
                if let Some(tpm) = self.tpm {
                    let elapsed = now.duration_since(s.refilled).as_secs_f64();
                    s.tokens = (s.tokens + elapsed * tpm / 60.0).min(tpm);
                    s.refilled = now;
                }
                let request_wait = s.next_request.saturating_duration_since(now);
                // A request larger than the whole bucket may go once it is full.
                let need = self.tpm.map_or(0.0, |tpm| (tokens as f64).min(tpm));
                let token_wait = match self.tpm {
                    Some(tpm) if s.tokens < need => {
                        Duration::from_secs_f64((need - s.tokens) * 60.0 / tpm)
                    }
                    _ => Duration::ZERO,
                };
                let wait = request_wait.max(token_wait);
                if wait.is_zero() {
                    if let Some(gap) = self.request_gap {
                        s.next_request = now + gap;
                    }
                    if self.tpm.is_some() {
                        s.tokens -= tokens as f64;
                    }
                    return;
                }
                wait
            };
            tokio::time::sleep(wait).await;
        }
    }

    /// Corrects the bucket once the real token count of a request is known.
    pub async fn settle(&self, estimated: u64, actual: u64) {
        if self.tpm.is_some() {
            self.state.lock().await.tokens += estimated as f64 - actual as f64;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn requests_are_spaced_by_rpm() {
        let l = Limiter::new(Some(120), None).unwrap();
        let start = Instant::now();
        for _ in 0..5 {
            l.acquire(0).await;
        }
        // Slots at 0, 0.5, 1.0, 1.5, 2.0 s.
        assert_eq!(start.elapsed(), Duration::from_secs(2));
    }

    #[tokio::test(start_paused = true)]
    async fn tokens_refill_over_a_minute() {
        let l = Limiter::new(None, Some(600)).unwrap();
        let start = Instant::now();
        l.acquire(600).await;
        l.acquire(300).await;
        // The bucket was empty; 300 tokens take 30 s to come back.
        assert!(
            start.elapsed() >= Duration::from_secs(30) && start.elapsed() < Duration::from_secs(31)
        );
        l.settle(300, 0).await;
        let before = Instant::now();
        l.acquire(300).await;
        assert!(
            before.elapsed() < Duration::from_millis(10),
            "settling returned unused tokens"
        );
    }
}
