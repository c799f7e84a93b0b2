# make_survival_at_reference.R prints the R values behind TestSurvivalAt
# (analyses/survivalat_test.go): ten made-up subjects read out at days 6, 12
# and 22, conf.type "log" and "log-log".
#
#     Rscript analyses/testdata/make_survival_at_reference.R
suppressPackageStartupMessages(library(survival))
time <- c(2, 3, 5, 7, 8, 10, 12, 15, 20, 25)
ev   <- c(1, 0, 1, 1, 0, 1, 1, 0, 1, 0)
for (ct in c("log", "log-log")) {
  s <- summary(survfit(Surv(time, ev) ~ 1, conf.type = ct), times = c(6, 12, 22))
  cat(ct, "\n")
  for (i in seq_along(s$time)) cat(sprintf("t=%g n.risk=%d surv=%.17g se=%.17g lower=%.17g upper=%.17g\n",
    s$time[i], s$n.risk[i], s$surv[i], s$std.err[i], s$lower[i], s$upper[i]))
}
