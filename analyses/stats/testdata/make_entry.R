# make_entry.R writes the reference fixture for delayed entry (left
# truncation) in package analyses/stats, issue 14 fixture (b): follow-up is
# measured from the release date, aftercare starts some days later, and a
# person enters the risk set at the aftercare start. One person's aftercare
# starts 40 days after release and they re-offended on day 20: never at
# risk, left out (R refuses Surv(40, 20, 1)).
#
# Run from the repository root (or from analyses/stats/testdata):
#
#     Rscript analyses/stats/testdata/make_entry.R
#
# R with the survival package (3.5-3 was used); JSON by json.R. Writes
# analyses/stats/testdata/entry.json with the rows and:
#   - survfit(Surv(entry, time, status) ~ 1): time, n.risk, n.event,
#     n.censor, surv, std.err (of log S), lower, upper (log, 95%)
#   - coxph(Surv(entry, time, status) ~ g + age, ties = "efron"): coef, se
#   - summary(survfit(...), times = at): n.risk, n.event, n.censor, surv at
#     the times of an at-risk table (at_times)
#   - the log-rank test of g with delayed entry: survdiff does not take
#     Surv(start, stop, event), so the score test of coxph(Surv(entry, time,
#     status) ~ g, ties = "exact") (equal to the log-rank statistic, with
#     its hypergeometric variance), checked in this script against a
#     direct sum over the event times (stopifnot)
#   - coxph(Surv(entry, time, status) ~ g + age + cluster(cl), ties =
#     "efron"), cl pairing rows 2k-1 and 2k of the kept rows: the robust
#     (Lin-Wei) standard errors, and residuals(fit, "score") of the plain fit

here <- dir.exists("analyses/stats/testdata")
out <- if (here) "analyses/stats/testdata/entry.json" else "entry.json"
source(if (here) "analyses/stats/testdata/json.R" else "json.R")
suppressPackageStartupMessages(library(survival))
set.seed(2014)

n <- 140
g <- rbinom(n, 1, 0.5)
age <- round(runif(n, 18, 65))
entry <- sample(c(0, 0, 0, 7, 14, 21, 30, 45, 60, 90), n, replace = TRUE)
t <- ceiling(rexp(n, 1 / 500 * exp(-0.4 * g)))
cens <- sample(100:900, n, replace = TRUE)
time <- pmin(t, cens); status <- as.integer(t <= cens)
# fixture (b): aftercare 40 days after release, re-offended on day 20
entry[1] <- 40; time[1] <- 20; status[1] <- 1L; g[1] <- 1L
d <- data.frame(entry = entry, time = time, status = status, g = g, age = age)
keep <- d$time > d$entry
d2 <- d[keep, ]
km <- survfit(Surv(entry, time, status) ~ 1, data = d2, conf.type = "log")
ev <- km$n.event > 0
# censorings between event times, as summary.survfit counts them
cum <- cumsum(km$n.censor)
ce <- diff(c(0, cum[ev]))
fit <- coxph(Surv(entry, time, status) ~ g + age, data = d2, ties = "efron",
             control = coxph.control(eps = 1e-11, toler.chol = 1e-13, iter.max = 50))
at <- c(0, 30, 60, 182, 365, 548, 730)
sa <- summary(km, times = at, extend = TRUE)
lr <- coxph(Surv(entry, time, status) ~ g, data = d2, ties = "exact")
# the same statistic by hand: O - E and the hypergeometric variance over the
# event times, each risk set the rows with entry < t <= time
oe <- 0; v <- 0
for (tt in sort(unique(d2$time[d2$status == 1]))) {
  r <- d2$entry < tt & d2$time >= tt
  n <- sum(r); n1 <- sum(r & d2$g == 1)
  dd <- sum(d2$time == tt & d2$status == 1); d1 <- sum(d2$time == tt & d2$status == 1 & d2$g == 1)
  oe <- oe + d1 - dd * n1 / n
  if (n > 1) v <- v + dd * (n1 / n) * (1 - n1 / n) * (n - dd) / (n - 1)
}
stopifnot(abs(oe^2 / v - lr$score) < 1e-8 * lr$score)
d2$cl <- (seq_len(nrow(d2)) + 1) %/% 2
rfit <- coxph(Surv(entry, time, status) ~ g + age + cluster(cl), data = d2, ties = "efron",
              control = coxph.control(eps = 1e-11, toler.chol = 1e-13, iter.max = 50))
sres <- residuals(fit, type = "score")
writeLines(paste0("{",
  "\"entry\":", jarr(d$entry), ",\"time\":", jarr(d$time), ",\"status\":", jarr(d$status),
  ",\"g\":", jarr(d$g), ",\"age\":", jarr(d$age),
  ",\"excluded\":", jnum(sum(!keep)),
  ",\"km\":", jobj(time = jarr(km$time[ev]), n_risk = jarr(km$n.risk[ev]), n_event = jarr(km$n.event[ev]),
                  n_censor = jarr(ce), surv = jarr(km$surv[ev]), std_err = jarr(km$std.err[ev]),
                  lower = jarr(km$lower[ev]), upper = jarr(km$upper[ev])),
  ",\"coef\":", jarr(unname(coef(fit))), ",\"se\":", jarr(unname(sqrt(diag(fit$var)))),
  ",\"at\":", jobj(time = jarr(sa$time), n_risk = jarr(sa$n.risk), n_event = jarr(sa$n.event),
                  n_censor = jarr(sa$n.censor), surv = jarr(sa$surv)),
  ",\"robust_se\":", jarr(unname(sqrt(diag(rfit$var)))), ",\"score_res\":", jmat(unname(sres)),
  ",\"logrank\":", jobj(chisq = jnum(unname(lr$score)), o_minus_e = jnum(oe), var = jnum(v)),
  "}"), out)
