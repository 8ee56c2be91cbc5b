// The records as known on a date: one ordered pass over the stored versions of the window (and,
// with history, a second over the disbursed and milestone versions of every period), keeping per
// key the version received last among those known on the date, and per initiative and period the
// first receipt.
#include "evaluation/view.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

namespace jvap::evaluation {

namespace {

// Which of two known versions of a key is the value: the one received later, and on the same
// day the one ingested later (see view.hpp).
bool supersedes(calendar::Date received_a, std::int64_t upload_a, calendar::Date received_b,
                std::int64_t upload_b) {
  return std::tie(received_a, upload_a) > std::tie(received_b, upload_b);
}

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

}  // namespace

struct View::Impl {
  struct Group {
    std::vector<Value> values;  // sorted by period, then measure, once the scans are done
    std::vector<std::pair<calendar::Period, Receipt>> receipts;  // sorted by period
  };

  Window window;
  Options options;
  std::unordered_map<std::int64_t, store::UploadInfo> uploads;
  std::unordered_map<std::string, Group, StringHash, std::equal_to<>> groups;
  std::unordered_set<std::string, StringHash, std::equal_to<>> measures;  // names values point into

  const Group* group(std::string_view initiative) const {
    auto it = groups.find(initiative);
    return it == groups.end() ? nullptr : &it->second;
  }
  std::string_view intern(std::string_view measure) {
    auto it = measures.find(measure);
    if (it == measures.end()) it = measures.emplace(measure).first;
    return *it;
  }
  bool history_read = false;

  void scan(const store::Store& store, const store::Store::VersionFilter& filter, bool history);
  void sort() {
    for (auto& [code, g] : groups) {
      std::sort(g.values.begin(), g.values.end(), [](const Value& a, const Value& b) {
        return std::tie(a.period, a.measure) < std::tie(b.period, b.measure);
      });
      std::sort(g.receipts.begin(), g.receipts.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
    }
  }
};

namespace {

// Follows the ordered stream of versions, one key at a time.
class Follower {
 public:
  Follower(View::Impl& view, bool history) : v_(view), history_(history) {}

  void take(const store::Store::Version& s) {
    auto up = v_.uploads.find(s.upload_id);
    if (up == v_.uploads.end() || up->second.received_on > v_.window.known_on) return;  // not known
    const auto received = up->second.received_on;
    bool new_initiative = !group_ || s.initiative != initiative_;
    bool new_period = new_initiative || s.period != period_text_;
    if (new_period || s.measure != measure_text_) {
      settle();
      if (new_period) receipt();
      if (new_initiative) {
        initiative_.assign(s.initiative);
        group_ = &v_.groups[initiative_];
      }
      if (new_period) {
        period_text_.assign(s.period);
        period_ = calendar::parse_period(s.period);
      }
      measure_text_.assign(s.measure);
    }
    if (!period_) return;  // a period id this jvap cannot read: not a reporting period
    if (history_ && in_window(*period_)) return;  // read by the window's pass
    if (!pending_ || supersedes(received, s.upload_id, best_.source.received_on, best_.source.upload_id)) {
      best_.value.assign(s.value);
      best_.num = s.num;
      if (v_.options.comments) best_.comment.assign(s.comment);
      best_.source = {s.upload_id, s.line, received};
      pending_ = true;
    }
    if (!history_ && (!first_ || supersedes(first_->on, first_->upload_id, received, s.upload_id)))
      first_ = Receipt{received, s.upload_id};
  }

  void finish() {
    settle();
    receipt();
  }

 private:
  bool in_window(const calendar::Period& p) const {
    return (!v_.window.first || *v_.window.first <= p) && (!v_.window.last || p <= *v_.window.last);
  }
  void settle() {  // the key just finished
    if (!pending_) return;
    pending_ = false;
    best_.period = *period_;
    best_.measure = v_.intern(measure_text_);
    group_->values.push_back(std::move(best_));
    best_ = Value{};
  }
  void receipt() {  // the initiative's period just finished
    if (first_ && period_) group_->receipts.emplace_back(*period_, *first_);
    first_.reset();
  }

  View::Impl& v_;
  bool history_;
  View::Impl::Group* group_ = nullptr;
  std::string initiative_, period_text_, measure_text_;
  std::optional<calendar::Period> period_;
  Value best_;
  bool pending_ = false;
  std::optional<Receipt> first_;
};

}  // namespace

void View::Impl::scan(const store::Store& store, const store::Store::VersionFilter& filter,
                      bool history) {
  Follower follow(*this, history);
  store.scan_versions(filter, [&](const store::Store::Version& v) { follow.take(v); });
  follow.finish();
}

View::View(const store::Store& store, const Window& window, const Options& options)
    : impl_(std::make_unique<Impl>()) {
  auto& im = *impl_;
  im.window = window;
  im.options = options;
  for (auto& u : store.uploads())
    if (u.outcome == store::Outcome::accepted) im.uploads.emplace(u.id, std::move(u));
  store::Store::VersionFilter f;
  if (window.first) f.first_period = calendar::to_string(*window.first);
  if (window.last) f.last_period = calendar::to_string(*window.last);
  f.initiative = options.initiative;
  f.measures = options.measures;
  f.comments = options.comments;
  im.scan(store, f, false);
  im.sort();
  if (options.history) read_history(store);
}

void View::read_history(const store::Store& store) {
  auto& im = *impl_;
  if (im.history_read) return;
  im.history_read = true;
  if (!im.window.first && !im.window.last) return;  // every period was read
  store::Store::VersionFilter h;
  h.initiative = im.options.initiative;
  h.measures = {"disbursed", "milestone."};
  h.comments = im.options.comments;
  im.scan(store, h, true);
  im.sort();
}

View::~View() = default;
View::View(View&&) noexcept = default;
View& View::operator=(View&&) noexcept = default;

const Window& View::window() const { return impl_->window; }

std::vector<std::string_view> View::initiatives() const {
  std::vector<std::string_view> out;
  out.reserve(impl_->groups.size());
  for (const auto& [code, g] : impl_->groups)
    if (!g.values.empty()) out.push_back(code);
  std::sort(out.begin(), out.end());
  return out;
}

std::span<const Value> View::values(std::string_view initiative) const {
  const auto* g = impl_->group(initiative);
  if (!g) return {};
  return {g->values.data(), g->values.size()};
}

const Value* View::value(std::string_view initiative, const calendar::Period& p,
                         std::string_view measure) const {
  auto list = values(initiative);
  auto it = std::lower_bound(list.begin(), list.end(), std::tie(p, measure),
                             [](const Value& v, const auto& key) {
                               return std::tie(v.period, v.measure) < key;
                             });
  if (it == list.end() || it->period != p || it->measure != measure) return nullptr;
  return &*it;
}

std::optional<Receipt> View::first_receipt(std::string_view initiative, const calendar::Period& p) const {
  if (!impl_->options.measures.empty())
    throw std::logic_error("first receipts need every measure: build the view without a measure filter");
  const auto* g = impl_->group(initiative);
  if (!g) return std::nullopt;
  for (const auto& [period, r] : g->receipts)
    if (period == p) return r;
  return std::nullopt;
}

std::optional<Disbursed> View::disbursed_to_date(std::string_view initiative,
                                                 const calendar::Period& p) const {
  std::optional<Disbursed> out;
  for (const auto& v : values(initiative)) {
    if (v.period > p) break;
    if (v.measure == "disbursed" && v.num)
      out = Disbursed{std::llround(*v.num), v.period, v.source};
  }
  return out;
}

std::optional<Achieved> View::achieved(std::string_view initiative, std::string_view milestone) const {
  std::optional<Achieved> out;
  for (const auto& v : values(initiative)) {
    if (v.measure.size() != milestone.size() + 10 || v.measure.rfind("milestone.", 0) != 0 ||
        v.measure.substr(10) != milestone)
      continue;
    auto on = calendar::parse_date(v.value);
    if (on && (!out || *on < out->on)) out = Achieved{*on, v.source};
  }
  return out;
}

const store::UploadInfo* View::upload(std::int64_t id) const {
  auto it = impl_->uploads.find(id);
  return it == impl_->uploads.end() ? nullptr : &it->second;
}

}  // namespace jvap::evaluation
