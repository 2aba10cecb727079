//! The one-page summary that ends a mock interview: scores per topic, the
//! three gaps that cost the most, and the time spent on each answer, on the
//! terminal and as markdown for the candidate's notes.
//!
//! Built from the gradings of the interview only, like every report.

use std::fmt::Write;
use std::time::Duration;

use super::clock::clock_time;
use super::history::Speech;
use crate::bank::Rubric;
use crate::grade::Grading;
use crate::report::Paint;
use crate::report::fit::Fit;

/// Gaps the summary lists.
pub const GAPS: usize = 3;

/// One question asked in the interview.
#[derive(Debug, Clone)]
pub struct MockAnswer {
    pub question_id: String,
    pub topic: String,
    /// Asked as a follow-up of the question before it.
    pub follow_up: bool,
    /// From the question being shown to the answer being in.
    pub time: Duration,
    /// The score in percent; `None` when the candidate passed.
    pub percent: Option<f64>,
    /// Points not fully made, with what each cost.
    pub gaps: Vec<Gap>,
    /// How a spoken answer was said (`--record`), as the history keeps it.
    pub speech: Option<Speech>,
}

/// A key point an answer missed or only half made.
#[derive(Debug, Clone)]
pub struct Gap {
    pub question_id: String,
    pub point_id: String,
    /// What to say to make the point: the rubric's feedback, or its text.
    pub study: String,
    /// Share of that answer's full score the gap cost (0–1).
    pub lost: f64,
}

impl MockAnswer {
    pub fn graded(g: &Grading, rubric: &Rubric, follow_up: bool, time: Duration) -> Self {
        let full = rubric.full_weight().max(f64::EPSILON);
        let gaps = g
            .points
            .iter()
            .filter(|p| p.found() < 1.0)
            .map(|p| Gap {
                question_id: g.question.id.clone(),
                point_id: p.id.clone(),
                study: p.feedback.clone().unwrap_or_else(|| p.text.clone()),
                lost: (p.weight * (1.0 - p.score) / full).min(1.0),
            })
            .collect();
        MockAnswer {
            question_id: g.question.id.clone(),
            topic: g.question.topic.clone(),
            follow_up,
            time,
            percent: Some(g.total.percent),
            gaps,
            speech: None,
        }
    }
}

/// What the summary is made of.
#[derive(Debug, Clone)]
pub struct Summary {
    /// `--level`, if given.
    pub level: Option<String>,
    /// The planned length of the interview.
    pub planned: Duration,
    /// How long it took.
    pub elapsed: Duration,
    /// Whether it ended because the time was up.
    pub time_up: bool,
    pub answers: Vec<MockAnswer>,
}

/// A topic's mean score (a pass counts 0) and how many questions it had.
pub struct TopicScore<'a> {
    pub topic: &'a str,
    pub percent: f64,
    pub answers: usize,
}

impl Summary {
    /// Weakest topic first; ties in the order the topics came up.
    pub fn topics(&self) -> Vec<TopicScore<'_>> {
        let mut topics: Vec<TopicScore> = Vec::new();
        for a in &self.answers {
            let p = a.percent.unwrap_or(0.0);
            match topics.iter_mut().find(|t| t.topic == a.topic) {
                Some(t) => {
                    t.percent = (t.percent * t.answers as f64 + p) / (t.answers + 1) as f64;
                    t.answers += 1;
                }
                None => topics.push(TopicScore {
                    topic: &a.topic,
                    percent: p,
                    answers: 1,
                }),
            }
        }
        topics.sort_by(|a, b| a.percent.total_cmp(&b.percent));
        topics
    }

    /// The gaps that cost the most, one per key point and preferably from
    /// different questions; ties in the order they came up.
    pub fn top_gaps(&self) -> Vec<&Gap> {
        let mut gaps: Vec<&Gap> = Vec::new();
        for g in self.answers.iter().flat_map(|a| &a.gaps) {
            if !gaps
                .iter()
                .any(|x| x.question_id == g.question_id && x.point_id == g.point_id)
            {
                gaps.push(g);
            }
        }
        gaps.sort_by(|a, b| b.lost.total_cmp(&a.lost));
        // The costliest gap of each question first, so that one bad answer
        // does not fill the list; then the next costliest.
        let mut top: Vec<&Gap> = Vec::new();
        for g in &gaps {
            if top.len() < GAPS && !top.iter().any(|t| t.question_id == g.question_id) {
                top.push(g);
            }
        }
        for g in &gaps {
            if top.len() < GAPS && !top.iter().any(|t| std::ptr::eq(*t, *g)) {
                top.push(g);
            }
        }
        top.sort_by(|a, b| b.lost.total_cmp(&a.lost));
        top
    }

    fn headline(&self) -> String {
        let mut s = format!(
            "{} question(s) in {} of {}",
            self.answers.len(),
            clock_time(self.elapsed),
            clock_time(self.planned)
        );
        if let Some(level) = &self.level {
            s = format!("{level} · {s}");
        }
        if self.time_up {
            s.push_str(" · time is up");
        }
        s
    }

    /// "3 spoken answer(s): 148 wpm, 2.7 fillers/min, 0.3 long pauses
    /// each" (means over the spoken answers), and how many had a poor
    /// transcript; `None` when no answer was spoken.
    fn speaking(&self) -> Option<String> {
        let spoken: Vec<&Speech> = self
            .answers
            .iter()
            .filter_map(|a| a.speech.as_ref())
            .collect();
        if spoken.is_empty() {
            return None;
        }
        let n = spoken.len() as f64;
        let mean = |f: fn(&Speech) -> f64| spoken.iter().map(|s| f(s)).sum::<f64>() / n;
        let mut line = format!(
            "{} spoken answer(s): {:.0} wpm, {:.1} fillers/min, {:.1} long pauses each",
            spoken.len(),
            mean(|s| s.words_per_minute),
            mean(|s| s.fillers_per_minute),
            mean(|s| s.long_pauses as f64)
        );
        let poor = spoken.iter().filter(|s| s.poor_transcript).count();
        if poor > 0 {
            line.push_str(&format!(
                "; {poor} with a poor transcript, whose score may be too low"
            ));
        }
        Some(line)
    }

    fn overall(&self) -> Option<f64> {
        let n = self.answers.len();
        (n > 0).then(|| {
            self.answers
                .iter()
                .map(|a| a.percent.unwrap_or(0.0))
                .sum::<f64>()
                / n as f64
        })
    }

    /// The summary for the terminal.
    pub fn text(&self, paint: &Paint) -> String {
        let mut o = String::new();
        let _ = writeln!(o, "{}", paint.bold("Mock interview summary"));
        let _ = writeln!(o, "{}", paint.dim(&self.headline()));
        if self.answers.is_empty() {
            let _ = writeln!(o, "\nNo question answered.");
            return o;
        }
        let _ = writeln!(o, "\n{}", paint.bold("Scores per topic"));
        let width = self
            .topics()
            .iter()
            .map(|t| t.topic.len())
            .max()
            .unwrap_or(0)
            .max(7);
        for t in self.topics() {
            let _ = writeln!(
                o,
                "  {:width$}  {:>4}  {} question(s)",
                t.topic,
                percent(t.percent),
                t.answers
            );
        }
        if let Some(all) = self.overall() {
            let _ = writeln!(o, "  {:width$}  {:>4}", "overall", percent(all));
        }
        let _ = writeln!(o, "\n{}", paint.bold("The three most important gaps"));
        let gaps = self.top_gaps();
        if gaps.is_empty() {
            let _ = writeln!(o, "  none: every key point was made");
        }
        let columns = crate::report::width::columns();
        for (i, g) in gaps.iter().enumerate() {
            let number = format!("  {}. ", i + 1);
            let point = format!("/ {}", g.point_id);
            let cost = format!("cost {} of that answer", percent(100.0 * g.lost));
            let heading = Fit::new(5)
                .push("", &number, &number)
                .push("", &g.question_id, &paint.bold(&g.question_id))
                .push(" ", &point, &paint.bold(&point))
                .push("  ", &cost, &paint.dim(&cost))
                .finish();
            let _ = writeln!(o, "{heading}");
            let _ = writeln!(
                o,
                "     {}",
                crate::report::wrap(&format!("Study: {}", g.study), 5, columns)
            );
        }
        let _ = writeln!(o, "\n{}", paint.bold("Time per answer"));
        let width = self
            .answers
            .iter()
            .map(|a| a.question_id.len() + if a.follow_up { 2 } else { 0 })
            .max()
            .unwrap_or(0);
        for (i, a) in self.answers.iter().enumerate() {
            let id = if a.follow_up {
                format!("↳ {}", a.question_id)
            } else {
                a.question_id.clone()
            };
            let number = format!("  {:>2}  ", i + 1);
            let id = format!("{id:width$}");
            let time = format!("{:>5}", clock_time(a.time));
            let score = format!("{:>6}", a.percent.map_or("passed".to_string(), percent));
            let row = Fit::new(6)
                .push("", &number, &number)
                .push("", &id, &id)
                .push("  ", &time, &time)
                .push("  ", &score, &score)
                .finish();
            let _ = writeln!(o, "{row}");
        }
        if let Some(line) = self.speaking() {
            let _ = writeln!(o, "\n{}", paint.bold("Speaking"));
            let _ = writeln!(o, "  {}", crate::report::wrap(&line, 2, columns));
        }
        o
    }

    /// The same summary as a markdown page.
    pub fn markdown(&self) -> String {
        let mut o = String::new();
        let _ = writeln!(o, "# Mock interview summary\n");
        let _ = writeln!(o, "{}\n", self.headline());
        if self.answers.is_empty() {
            let _ = writeln!(o, "No question answered.");
            return o;
        }
        let _ = writeln!(o, "## Scores per topic\n");
        let _ = writeln!(o, "| topic | score | questions |\n|---|---:|---:|");
        for t in self.topics() {
            let _ = writeln!(
                o,
                "| {} | {} | {} |",
                t.topic,
                percent(t.percent),
                t.answers
            );
        }
        if let Some(all) = self.overall() {
            let _ = writeln!(
                o,
                "| **overall** | **{}** | {} |",
                percent(all),
                self.answers.len()
            );
        }
        let _ = writeln!(o, "\n## The three most important gaps\n");
        let gaps = self.top_gaps();
        if gaps.is_empty() {
            let _ = writeln!(o, "None: every key point was made.");
        }
        for (i, g) in gaps.iter().enumerate() {
            let _ = writeln!(
                o,
                "{}. **{} / {}** (cost {} of that answer): {}",
                i + 1,
                g.question_id,
                g.point_id,
                percent(100.0 * g.lost),
                g.study
            );
        }
        let _ = writeln!(o, "\n## Time per answer\n");
        let _ = writeln!(o, "| # | question | time | score |\n|---:|---|---:|---:|");
        for (i, a) in self.answers.iter().enumerate() {
            let id = if a.follow_up {
                format!("↳ `{}` (follow-up)", a.question_id)
            } else {
                format!("`{}`", a.question_id)
            };
            let _ = writeln!(
                o,
                "| {} | {id} | {} | {} |",
                i + 1,
                clock_time(a.time),
                a.percent.map_or("passed".to_string(), percent)
            );
        }
        if let Some(line) = self.speaking() {
            let _ = writeln!(o, "\n## Speaking\n\n{line}.");
        }
        o
    }
}

fn percent(p: f64) -> String {
    format!("{}%", p.round())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(id: &str, topic: &str, percent: Option<f64>, gaps: &[(&str, f64)]) -> MockAnswer {
        MockAnswer {
            question_id: id.into(),
            topic: topic.into(),
            follow_up: false,
            time: Duration::from_secs(90),
            percent,
            gaps: gaps
                .iter()
                .map(|(p, lost)| Gap {
                    question_id: id.into(),
                    point_id: p.to_string(),
                    study: format!("study {p}"),
                    lost: *lost,
                })
                .collect(),
            speech: None,
        }
    }

    #[test]
    fn speaking_is_summed_up_over_the_spoken_answers_only() {
        let speech = |wpm: f64, poor: bool| Speech {
            speaking_secs: 30.0,
            words_per_minute: wpm,
            fillers_per_minute: 2.0,
            long_pauses: 1,
            poor_transcript: poor,
        };
        let mut answers = vec![
            answer("a", "t", Some(50.0), &[]),
            answer("b", "t", Some(50.0), &[]),
            answer("c", "t", None, &[]),
        ];
        let mut s = Summary {
            level: None,
            planned: Duration::from_secs(600),
            elapsed: Duration::from_secs(300),
            time_up: false,
            answers: answers.clone(),
        };
        assert_eq!(s.speaking(), None);
        assert!(!s.text(&Paint::plain()).contains("Speaking"));
        answers[0].speech = Some(speech(120.0, false));
        answers[1].speech = Some(speech(160.0, true));
        s.answers = answers;
        assert_eq!(
            s.speaking().unwrap(),
            "2 spoken answer(s): 140 wpm, 2.0 fillers/min, 1.0 long pauses each; \
             1 with a poor transcript, whose score may be too low"
        );
    }

    #[test]
    fn topics_are_weakest_first_and_a_pass_counts_zero() {
        let s = Summary {
            level: None,
            planned: Duration::from_secs(600),
            elapsed: Duration::from_secs(300),
            time_up: false,
            answers: vec![
                answer("a", "memory", Some(80.0), &[]),
                answer("b", "concurrency", Some(60.0), &[]),
                answer("c", "memory", None, &[]),
            ],
        };
        let t: Vec<(&str, f64, usize)> = s
            .topics()
            .iter()
            .map(|t| (t.topic, t.percent, t.answers))
            .collect();
        assert_eq!(t, [("memory", 40.0, 2), ("concurrency", 60.0, 1)]);
    }

    #[test]
    fn the_three_costliest_gaps_are_kept_in_order() {
        let s = Summary {
            level: Some("senior".into()),
            planned: Duration::from_secs(600),
            elapsed: Duration::from_secs(300),
            time_up: true,
            answers: vec![
                answer("a", "t", Some(10.0), &[("x", 0.2), ("y", 0.5)]),
                answer("b", "t", Some(10.0), &[("z", 0.5), ("w", 0.1)]),
            ],
        };
        let gaps: Vec<&str> = s.top_gaps().iter().map(|g| g.point_id.as_str()).collect();
        assert_eq!(gaps, ["y", "z", "x"]);
        // One question's gaps do not crowd out another's.
        let mut s = s;
        let costly = Gap {
            lost: 0.6,
            point_id: "v".into(),
            ..s.answers[0].gaps[0].clone()
        };
        s.answers[0].gaps.push(costly);
        let gaps: Vec<&str> = s.top_gaps().iter().map(|g| g.point_id.as_str()).collect();
        assert_eq!(gaps, ["v", "z", "y"]);
        let md = s.markdown();
        assert!(
            md.contains("senior · 2 question(s) in 5:00 of 10:00 · time is up"),
            "{md}"
        );
        assert!(
            md.contains("3. **a / y** (cost 50% of that answer): study y"),
            "{md}"
        );
    }
}
