//! Signal processing for the speech suites' scenarios: seeded noise mixed at a stated SNR and
//! a simulated far-field room (image-source impulse response, FFT convolution).

pub mod fft;
pub mod noise;
pub mod room;
