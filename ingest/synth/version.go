package synth

// Version is the generator's version: raise it with every change that
// changes the bytes [Write] writes for some Config. Programs that keep
// generated studies (`outcomes bench`) store it next to a study and
// regenerate the study when it differs, so a benchmark never measures a
// study an older generator wrote. TestVersionFollowsTheOutput holds the
// version to a digest of the output (testdata/version.txt).
const Version = 7
