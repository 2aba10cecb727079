//! Integration tests: they run the real `viva` binary and compare its exit
//! code, stdout and stderr with snapshots. One test binary keeps linking fast.

mod common;

mod agree;
mod answer_text;
mod answers;
mod audio;
mod bank_files;
mod batch;
mod batch_input;
mod cli;
mod draft;
mod editor;
mod followups;
mod grade;
mod json_output;
mod llm;
mod phrased;
mod practice;
mod questions;
mod report;
mod review;
mod rubric;
mod seeds;
mod statements;
mod terminal;
