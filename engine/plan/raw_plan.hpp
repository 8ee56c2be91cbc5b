// Internal to the plan module: the plan as parsed, file by file, with the locations of every
// reference, before the cross-file checks (parse_file fills it, validate checks and finishes it).
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/model.hpp"
#include "yaml/reader.hpp"

namespace jvap::plan::detail {

using namespace jvap::yaml;

struct RawTarget {
  std::string period_id;
  double value = 0;
  model::SourceLoc loc;
};

struct RawIndicator {
  model::Indicator m;  // title/unit/aggregation filled from the catalogue by validate when ref'd
  model::SourceLoc ref_loc;
  std::vector<RawTarget> targets;
};

struct RawFunder {
  model::Funder m;
  model::SourceLoc loc;
};

struct RawInitiative {
  model::Initiative m;  // lists of references are filled by validate
  std::vector<LocatedId> domains, priorities, processes, countries, implementers, reporting;
  std::vector<RawFunder> funders;
  std::vector<RawIndicator> indicators;
  model::SourceLoc start_loc, end_loc, budget_loc, currency_loc;
  std::string monitoring_from;  // "" when not given
  model::SourceLoc monitoring_loc;
  std::vector<LocatedId> commitments;
  bool dates_ok = false;
};

struct RawCommitment {
  model::Commitment m;
  std::vector<LocatedId> made_by, domains, priorities, reporting;
  model::SourceLoc due_loc;
};

struct RawActivity {
  model::Activity m;
  std::vector<LocatedId> commitments, domains;
  LocatedId host, lead;  // value "" when not given
  bool dates_ok = false;
};

struct RawWorkPlan {
  model::WorkPlan m;
  LocatedId process;
  std::optional<calendar::Date> chairmanship;  // the start of the chair's term it is for
  model::SourceLoc chairmanship_loc, span_loc;
  bool span_given = false;  // from/to given (a multiannual framework)
  std::vector<LocatedId> reporting;
  std::vector<RawActivity> activities;
};

struct RawMember {
  model::Member m;
  bool has_joined = false;
};

struct RawChair {
  model::Chair m;
};

struct RawProcess {
  model::Process m;
  std::vector<RawMember> members;
  std::vector<LocatedId> steering, secretariat, domains;
  std::set<std::string> broken_states;  // members dropped for their own errors
  bool founded_ok = false;
};

struct RawCalendar {
  std::string frequency;
  std::string first_period;
  std::string monitoring_from;  // "" when not given
  model::SourceLoc frequency_loc, first_loc, monitoring_loc;
  int grace_days = 0;
  bool ok = false;
};

struct RawPlan {
  std::optional<model::PlanInfo> info;
  model::SourceLoc info_loc;
  std::optional<RawCalendar> calendar;
  model::SourceLoc calendar_loc;
  std::vector<model::Domain> domains;
  std::vector<RawProcess> processes;
  std::vector<model::Organisation> organisations;
  std::vector<model::IndicatorDef> indicators;
  std::vector<RawInitiative> initiatives;
  std::vector<RawCommitment> commitments;
  std::vector<RawWorkPlan> work_plans;
  // "kind:id" of entities dropped for their own (already reported) errors: references to them
  // are not reported again, so one mistake gives one message.
  std::set<std::string> broken;
};

// The commitments and work_plans sections of one file (parse_work.cpp).
void parse_commitment(FileContext& ctx, const YAML::Node& n, RawPlan& raw);
void parse_work_plan(FileContext& ctx, const YAML::Node& n, RawPlan& raw);

// Parses one file's sections into `raw`, recording problems in `errors`.
void parse_file(const std::string& path, const std::string& text, RawPlan& raw,
                std::vector<model::Diagnostic>& errors);

// Checks everything that spans files (ids, references, memberships, calendar) and builds the
// model; nullopt when any problem was recorded.
std::optional<model::Plan> validate(RawPlan raw, const std::string& label,
                                    std::vector<model::Diagnostic>& errors);

}  // namespace jvap::plan::detail
