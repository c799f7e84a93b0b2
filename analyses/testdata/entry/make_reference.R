# make_reference.R: fixture (b) of issue 14 (delayed entry) for package
# analyses. It writes the exports (trajectories.csv, events.csv) and, from
# the same rows and apart from the Go code, the expected results
# (reference.json): follow-up from the release date, persons entering the
# risk set at the aftercare start (AMB) when it comes after the release.
# Person a001's aftercare starts 40 days after release and they re-offended
# on day 20: never at risk, in no risk set, rate or count of AMB.
#
# Run from the repository root:
#
#     Rscript analyses/testdata/entry/make_reference.R
#
# R with the survival package (3.5-3 was used); JSON by
# analyses/stats/testdata/json.R. Expected values:
#   - per programme survfit(Surv(entry, time, status) ~ 1): the event rows
#     (time, n.risk, n.event, surv) and summary(..., times = days of months
#     0, 6, ..., 36) (n.risk; n.event and n.censor cumulated)
#   - the log-rank test AMB vs RES: the score test of coxph(Surv(entry,
#     time, status) ~ amb, ties = "exact") (survdiff takes no entry times)
#   - the unadjusted hazard ratio coxph(Surv(entry, time, status) ~ amb,
#     ties = "efron")
#   - the 12-month rates: entered persons whose 12 months closed by the
#     cut-off, and of them those with an offence within 12 months
#   - the persons of AMB never at risk (follow-up ends on or before entry)
suppressPackageStartupMessages(library(survival))
source("analyses/stats/testdata/json.R")
dir <- "analyses/testdata/entry"
cutoff <- as.Date("2025-12-31")
n <- 90
id <- sprintf("a%03d", seq_len(n))
prog <- ifelse(seq_len(n) <= 55, "AMB", "RES")
release <- as.Date("2021-01-04") + (seq_len(n) * 13) %% 700
stopifnot(!any(format(release, "%m-%d") == "02-29"))
gaps <- c(-30, 7, 21, 40, 90, -10, 14)
gap <- ifelse(prog == "AMB", gaps[(seq_len(n) %% length(gaps)) + 1], -60)
start <- release + gap
offence_day <- ifelse(seq_len(n) %% 4 == 0, NA, (seq_len(n) * 37) %% 800 + 1)
# fixture (b): aftercare 40 days after release, re-offended on day 20
gap[1] <- 40; start[1] <- release[1] + 40; offence_day[1] <- 20
# two more whose offence precedes the aftercare start, one on its very day
gap[2] <- 90; start[2] <- release[2] + 90; offence_day[2] <- 30
gap[3] <- 21; start[3] <- release[3] + 21; offence_day[3] <- 21
offence <- release + offence_day
write.csv(data.frame(person = id, programme = prog, start = format(start), release = format(release)),
          file.path(dir, "trajectories.csv"), row.names = FALSE, quote = FALSE)
ev <- !is.na(offence)
write.csv(data.frame(person = id[ev], date = format(offence[ev])),
          file.path(dir, "events.csv"), row.names = FALSE, quote = FALSE)

entry <- pmax(0, as.numeric(start - release))
status <- as.integer(!is.na(offence) & offence <= cutoff)
time <- ifelse(status == 1, as.numeric(offence - release), as.numeric(cutoff - release))
d <- data.frame(id, prog, entry, time, status, release, offence)
never <- d$entry > 0 & d$time <= d$entry
d2 <- d[!never, ]
d2$amb <- as.integer(d2$prog == "AMB")
months <- c(0, 6, 12, 18, 24, 30, 36)
at <- round(months * 365.25 / 12)
curve <- function(p) {
  s <- d2[d2$prog == p, ]
  km <- survfit(Surv(entry, time, status) ~ 1, data = s)
  e <- km$n.event > 0
  sa <- summary(km, times = at, extend = TRUE)
  jobj(programme = jstr(p), n = jnum(nrow(s)), events = jnum(sum(s$status)),
       time = jarr(km$time[e]), n_risk = jarr(km$n.risk[e]), n_event = jarr(km$n.event[e]), surv = jarr(km$surv[e]),
       at_risk = jarr(sa$n.risk), at_events = jarr(cumsum(sa$n.event)), at_censored = jarr(cumsum(sa$n.censor)))
}
lr <- coxph(Surv(entry, time, status) ~ amb, data = d2, ties = "exact")
fit <- coxph(Surv(entry, time, status) ~ amb, data = d2, ties = "efron",
             control = coxph.control(eps = 1e-11, toler.chol = 1e-13, iter.max = 50))
rate <- function(p) {
  s <- d2[d2$prog == p, ]
  end <- as.Date(paste0(as.integer(format(s$release, "%Y")) + 1, format(s$release, "-%m-%d")))
  closed <- end <= cutoff
  hit <- closed & s$status == 1 & !is.na(s$offence) & s$offence <= end
  jobj(programme = jstr(p), n = jnum(sum(closed)), events = jnum(sum(hit)))
}
writeLines(paste0("{",
  "\"never_at_risk\":", jsarr(d$id[never]),
  ",\"curves\":[", curve("AMB"), ",", curve("RES"), "]",
  ",\"logrank_chisq\":", jnum(unname(lr$score)),
  ",\"hazard_ratio\":", jnum(unname(exp(coef(fit)))),
  ",\"hr_lower\":", jnum(unname(exp(confint(fit)[1]))), ",\"hr_upper\":", jnum(unname(exp(confint(fit)[2]))),
  ",\"rates_12m\":[", rate("AMB"), ",", rate("RES"), "]",
  "}"), file.path(dir, "reference.json"))
