//! When work that needs no reply should run while requests are in flight.
//!
//! Grading an answer with an endpoint also reads it with the keyword rules
//! (for corroboration), which needs no reply. A batch of 256 answers starts
//! 256 requests at once, each on a new connection, and the replies of one
//! round come back together; reading an answer as soon as its request
//! started, on the same cores, delayed the requests started after it, and
//! reading it after the reply delayed the next request. [`Outgoing`] knows
//! which request bodies are built but not yet written, and how long replies
//! take; [`Outgoing::lull`] waits for the moment in between.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use tokio::sync::Notify;

/// The requests of one client: bodies not yet written, and reply times.
#[derive(Debug, Default)]
pub struct Outgoing {
    unsent: AtomicUsize,
    drained: Notify,
    /// A moving average of request-to-reply times, in microseconds; 0
    /// until a reply has been timed.
    typical_us: AtomicU64,
}

impl Outgoing {
    /// A body for `bytes` that counts as unsent until the connection has
    /// taken all of it (or the request is dropped).
    pub fn body(self: &Arc<Self>, bytes: Bytes) -> SentBody {
        self.unsent.fetch_add(1, Ordering::SeqCst);
        SentBody {
            len: bytes.len() as u64,
            bytes: Some(bytes),
            pending: Some(Pending(self.clone())),
        }
    }

    /// How many bodies are built and not yet written.
    pub fn unsent(&self) -> usize {
        self.unsent.load(Ordering::SeqCst)
    }

    /// Records how long a request took, from its start to its reply.
    pub fn took(&self, d: Duration) {
        let us = u64::try_from(d.as_micros()).unwrap_or(u64::MAX).max(1);
        let _ = self
            .typical_us
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |old| {
                Some(if old == 0 {
                    us
                } else {
                    old.saturating_mul(7).saturating_add(us) / 8
                })
            });
    }

    /// How long replies have been taking; `None` before the first.
    pub fn typical(&self) -> Option<Duration> {
        match self.typical_us.load(Ordering::Relaxed) {
            0 => None,
            us => Some(Duration::from_micros(us)),
        }
    }

    /// Waits for the likeliest lull in a request's wait for its reply:
    /// half the typical reply time from now once replies have been timed,
    /// when the replies and requests of the round before have been dealt
    /// with and this round's are not yet due; before that (the first
    /// round), until every body built has been written.
    pub async fn lull(&self) {
        match self.typical() {
            Some(t) => tokio::time::sleep(t / 2).await,
            None => self.drained().await,
        }
    }

    /// Returns once no body is waiting to be written and the tasks ready
    /// to run have had their turn (they may build more): after one yield
    /// when no body is waiting.
    pub async fn drained(&self) {
        loop {
            let notified = self.drained.notified();
            if self.unsent() == 0 {
                tokio::task::yield_now().await;
                if self.unsent() == 0 {
                    return;
                }
                continue;
            }
            notified.await;
        }
    }
}

/// One unsent body: counted down exactly once, when written or dropped.
#[derive(Debug)]
struct Pending(Arc<Outgoing>);

impl Drop for Pending {
    fn drop(&mut self) {
        if self.0.unsent.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.0.drained.notify_waiters();
        }
    }
}

/// A request body of known length, sent as one frame. The connection asks
/// for the next frame only once it has taken the one before into its write
/// buffer: that second ask marks the body as written. Its length goes out
/// as `content-length`, so the request's bytes are those of a plain body.
#[derive(Debug)]
pub struct SentBody {
    bytes: Option<Bytes>,
    len: u64,
    pending: Option<Pending>,
}

impl Body for SentBody {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        match self.bytes.take() {
            Some(b) => Poll::Ready(Some(Ok(Frame::data(b)))),
            None => {
                self.pending = None;
                Poll::Ready(None)
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        // Never true before the last ask, or the connection would not ask.
        false
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    #[tokio::test]
    async fn a_body_counts_as_unsent_until_it_is_read_to_the_end_or_dropped() {
        let out = Arc::new(Outgoing::default());
        let mut first = out.body(Bytes::from_static(b"{\"a\":1}"));
        let second = out.body(Bytes::from_static(b"{}"));
        assert_eq!(out.unsent(), 2);
        assert_eq!(first.size_hint().exact(), Some(7));
        let frame = first.frame().await.unwrap().unwrap();
        assert_eq!(frame.into_data().unwrap(), Bytes::from_static(b"{\"a\":1}"));
        // The frame is taken, but the connection may still be writing it.
        assert_eq!(out.unsent(), 2);
        assert!(first.frame().await.is_none());
        assert_eq!(out.unsent(), 1);
        drop(second);
        assert_eq!(out.unsent(), 0);
        drop(first);
        assert_eq!(out.unsent(), 0, "counted down once");
    }

    #[tokio::test]
    async fn drained_waits_for_the_last_body() {
        let out = Arc::new(Outgoing::default());
        out.drained().await;
        let body = out.body(Bytes::from_static(b"x"));
        let waiter = tokio::spawn({
            let out = out.clone();
            async move { out.drained().await }
        });
        tokio::task::yield_now().await;
        assert!(!waiter.is_finished());
        drop(body);
        tokio::time::timeout(Duration::from_secs(5), waiter)
            .await
            .expect("woken when the last body goes")
            .unwrap();
    }

    #[test]
    fn the_typical_reply_time_follows_recent_replies() {
        let out = Outgoing::default();
        assert_eq!(out.typical(), None);
        out.took(Duration::from_millis(800));
        assert_eq!(out.typical(), Some(Duration::from_millis(800)));
        out.took(Duration::from_millis(0));
        // A zero reply time counts as a microsecond: the average is never
        // mistaken for "not yet timed".
        assert_eq!(out.typical(), Some(Duration::from_micros(700_000)));
        for _ in 0..100 {
            out.took(Duration::from_millis(200));
        }
        let t = out.typical().unwrap();
        assert!(
            t > Duration::from_millis(199) && t < Duration::from_millis(201),
            "{t:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn the_lull_is_half_the_typical_reply_time_once_known() {
        let out = Arc::new(Outgoing::default());
        let body = out.body(Bytes::from_static(b"x"));
        // Before any reply: until the bodies are written.
        let first = tokio::spawn({
            let out = out.clone();
            async move { out.lull().await }
        });
        tokio::time::sleep(Duration::from_secs(60)).await;
        assert!(!first.is_finished(), "waits for the body, not the clock");
        drop(body);
        first.await.unwrap();
        // Once replies are timed: half the typical time.
        out.took(Duration::from_secs(10));
        let started = tokio::time::Instant::now();
        out.lull().await;
        assert_eq!(started.elapsed(), Duration::from_secs(5));
    }
}
