# make_contrast_reference.R writes the fixtures of issue 14's comparisons and
# their reference values, computed independently of the Go code from the
# rows themselves (dates → days in R, first event after the reference date,
# censoring at the cut-off):
#
#   (a) subset: programme SUB is a subset of programme WIDE (every SUB
#       person is also a WIDE person, with a later start). Outcome
#       shelter_inflow: reference date = programme start, event = the first
#       shelter_entry after it, censored at the cut-off 2025-12-31.
#       Contrast SUB against WIDE:
#         - stacked Cox, one row per person and programme,
#           coxph(Surv(days, status) ~ sub + cluster(id)): HR, robust and
#           naive SE; the same adjusted for age bands and sex;
#         - WIDE's subjects with SUB as a time-varying exposure from the
#           SUB start (counting-process rows), coxph(Surv(start, stop,
#           status) ~ exposed), the comparison the Go code publishes;
#         - for the record, the fixed split (exposed from the WIDE start,
#           which credits SUB with immortal time): coxph and survdiff;
#         - cox.zph of the stacked models (transform "km").
#
# Run from the repository root (or from analyses/testdata):
#
#     Rscript analyses/testdata/make_contrast_reference.R
#
# R with the survival package (3.5-3 was used); JSON by
# analyses/stats/testdata/json.R. Writes analyses/testdata/contrasts/.

here <- dir.exists("analyses/testdata")
dir <- if (here) "analyses/testdata/contrasts" else "contrasts"
source(if (here) "analyses/stats/testdata/json.R" else "../stats/testdata/json.R")
suppressPackageStartupMessages(library(survival))
dir.create(dir, showWarnings = FALSE)
ctl <- coxph.control(eps = 1e-11, toler.chol = 1e-13, iter.max = 50)

cutoff <- as.Date("2025-12-31")
set.seed(1414)

## (a) subset
n <- 160
id <- sprintf("s%03d", 1:n)
sex <- ifelse(runif(n) < 0.35, "v", "m")
age <- as.integer(round(runif(n, 18, 75)))
startW <- as.Date("2021-01-01") + sample(0:900, n, replace = TRUE)
inSub <- sort(sample(n, 70))
startS <- startW[inSub] + sample(10:120, length(inSub), replace = TRUE)
traj <- rbind(data.frame(person = id, programme = "WIDE", start = startW, sex = sex, age = age),
              data.frame(person = id[inSub], programme = "SUB", start = startS, sex = sex[inSub], age = age[inSub]))
# events: 0–2 shelter entries per person, some before either start
ev <- data.frame(person = character(0), date = as.Date(character(0)))
for (i in 1:n) {
  k <- sample(0:2, 1, prob = c(0.35, 0.45, 0.2))
  if (k == 0) next
  sub <- i %in% inSub
  rate <- if (sub) 1 / 700 else 1 / 420
  d <- startW[i] + round(cumsum(rexp(k, rate))) - 30
  ev <- rbind(ev, data.frame(person = id[i], date = d))
}
ev <- ev[ev$date <= as.Date("2026-06-30"), ]
write.csv(traj, file.path(dir, "subset_trajectories.csv"), row.names = FALSE, quote = FALSE)
write.csv(ev, file.path(dir, "subset_events.csv"), row.names = FALSE, quote = FALSE)

subjects <- function(traj, ev) {
  out <- traj
  out$first <- as.Date(NA)
  for (i in seq_len(nrow(out))) {
    e <- ev$date[ev$person == out$person[i] & ev$date > out$start[i] & ev$date <= cutoff]
    if (length(e)) out$first[i] <- min(e)
  }
  out$status <- as.integer(!is.na(out$first))
  out$days <- as.numeric(ifelse(out$status == 1, out$first - out$start, cutoff - out$start))
  out$sexv <- as.integer(out$sex == "v")
  out
}
s <- subjects(traj, ev)
s$sub <- as.integer(s$programme == "SUB")

model <- function(f, d, cluster) {
  fit <- if (cluster) coxph(update(f, . ~ . + cluster(person)), data = d, ties = "efron", control = ctl, x = TRUE, y = TRUE, model = TRUE)
         else coxph(f, data = d, ties = "efron", control = ctl, x = TRUE, y = TRUE, model = TRUE)
  fit0 <- coxph(f, data = d, ties = "efron", control = ctl, x = TRUE, y = TRUE, model = TRUE)
  zph <- cox.zph(fit0)
  se <- sqrt(diag(fit$var))[1]
  b <- unname(coef(fit)[1])
  jobj(n = jnum(nrow(d)), events = jnum(sum(d$status)),
       hr = jnum(exp(b)), lower = jnum(exp(b - qnorm(0.975) * se)), upper = jnum(exp(b + qnorm(0.975) * se)),
       p = jnum(2 * pnorm(-abs(b / se))), se = jnum(se), naive_se = jnum(sqrt(diag(fit0$var))[1]),
       ph_chisq = jnum(zph$table[1, "chisq"]), ph_p = jnum(zph$table[1, "p"]),
       ph_global_chisq = jnum(zph$table["GLOBAL", "chisq"]), ph_global_p = jnum(zph$table["GLOBAL", "p"]))
}
wide <- s[s$programme == "WIDE", ]
wide$with <- as.integer(wide$person %in% id[inSub])
lr <- survdiff(Surv(days, status) ~ with, data = wide)
# SUB as a time-varying exposure from its own start: unexposed on
# (0, gap], exposed on (gap, days]; unexposed throughout when the event or
# censoring comes on or before the SUB start.
subStart <- setNames(startS, id[inSub])
tv <- data.frame(start = numeric(0), stop = numeric(0), status = integer(0), exposed = integer(0))
for (i in seq_len(nrow(wide))) {
  w <- wide[i, ]
  gap <- if (w$person %in% names(subStart)) as.numeric(subStart[[w$person]] - w$start) else Inf
  if (gap >= w$days) {
    tv <- rbind(tv, data.frame(start = 0, stop = w$days, status = w$status, exposed = 0L))
  } else if (gap <= 0) {
    tv <- rbind(tv, data.frame(start = 0, stop = w$days, status = w$status, exposed = 1L))
  } else {
    tv <- rbind(tv, data.frame(start = c(0, gap), stop = c(gap, w$days), status = c(0L, w$status), exposed = c(0L, 1L)))
  }
}
tvfit <- coxph(Surv(start, stop, status) ~ exposed, data = tv, ties = "efron", control = ctl)
tvse <- sqrt(diag(tvfit$var))[1]; tvb <- unname(coef(tvfit)[1])
timevarying <- jobj(n = jnum(nrow(tv)), events = jnum(sum(tv$status)),
  hr = jnum(exp(tvb)), lower = jnum(exp(tvb - qnorm(0.975) * tvse)), upper = jnum(exp(tvb + qnorm(0.975) * tvse)),
  p = jnum(2 * pnorm(-abs(tvb / tvse))), se = jnum(tvse))
# The case mix of analyses/adjust.go: age in bands (modelAgeBands), the most
# populous band the baseline; prior cases are constant (none) and dropped.
s$ageband <- droplevels(factor(as.character(cut(s$age, c(-Inf, 18, 25, 30, 40, 50, Inf),
  c("<18", "18-24", "25-29", "30-39", "40-49", "50+"), right = FALSE)),
  levels = c("<18", "18-24", "25-29", "30-39", "40-49", "50+")))
s$ageband <- relevel(s$ageband, ref = names(which.max(table(s$ageband))))
subset <- jobj(
  n_programme = jnum(sum(s$sub == 1)), n_reference = jnum(sum(s$sub == 0)),
  overlap = jnum(length(inSub)),
  unadjusted = model(Surv(days, status) ~ sub, s, TRUE),
  adjusted = model(Surv(days, status) ~ sub + ageband + sexv, s, TRUE),
  disjoint_fixed = model(Surv(days, status) ~ with, wide, FALSE),
  timevarying = timevarying,
  logrank_chisq = jnum(lr$chisq), logrank_p = jnum(pchisq(lr$chisq, 1, lower.tail = FALSE)))
writeLines(paste0("{\"subset\":", subset, "}"), file.path(dir, "reference.json"))
