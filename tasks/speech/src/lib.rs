//! jiebang's speech direction (智能语音交互系统): Mandarin and English recognition across
//! scenarios, 5 m far field and dialogue intent, on WAV audio.

pub mod agency;
pub mod audio;
pub mod corpus;
pub mod dsp;
pub mod recognizer;
