// The records as known on a date: one ordered pass over the stored versions of the window (and,
// with history, a second over the disbursed and milestone versions of every period), keeping per
// key the version received last among those known on the date, and per initiative and period the
// first receipt. Values are kept contiguous per initiative, their text in an arena.
#include "evaluation/view.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <tuple>
#include <unordered_map>

namespace jvap::evaluation {

namespace {

// Which of two known versions of a key is the value: the one received later, and on the same
// day the one ingested later (see view.hpp).
bool supersedes(calendar::Date received_a, std::int64_t upload_a, calendar::Date received_b,
                std::int64_t upload_b) {
  return std::tie(received_a, upload_a) > std::tie(received_b, upload_b);
}

// Text kept for the view's lifetime, in blocks that never move.
class Arena {
 public:
  std::string_view keep(std::string_view s) {
    if (s.empty()) return {};
    if (s.size() > kBlock / 4) {
      big_.push_back(std::make_unique<char[]>(s.size()));
      std::copy(s.begin(), s.end(), big_.back().get());
      return {big_.back().get(), s.size()};
    }
    if (blocks_.empty() || used_ + s.size() > kBlock) {
      blocks_.push_back(std::make_unique<char[]>(kBlock));
      used_ = 0;
    }
    char* at = blocks_.back().get() + used_;
    std::copy(s.begin(), s.end(), at);
    used_ += s.size();
    return {at, s.size()};
  }

 private:
  static constexpr std::size_t kBlock = 1 << 20;
  std::vector<std::unique_ptr<char[]>> blocks_, big_;
  std::size_t used_ = 0;
};

// The ranges of one initiative in the view's vectors.
struct Range {
  std::size_t begin = 0, end = 0;
};
struct Group {
  Range window, history, receipts;
};

}  // namespace

struct View::Impl {
  Window window;
  Options options;
  std::unordered_map<std::int64_t, store::UploadInfo> uploads;  // accepted ones
  Arena text;
  std::vector<Value> values, history;
  std::vector<std::pair<calendar::Period, Receipt>> receipts;
  std::vector<std::string_view> codes;  // of the groups, in the arena
  std::vector<Group> groups;
  std::unordered_map<std::string_view, std::size_t> group_of;
  std::vector<std::string_view> measure_names;  // by the store's (small, dense) key
  bool history_read = false;
  std::vector<std::string> history_measures;

  std::size_t group(std::string_view code) {
    auto it = group_of.find(code);
    if (it != group_of.end()) return it->second;
    codes.push_back(text.keep(code));
    groups.emplace_back();
    return group_of.emplace(codes.back(), groups.size() - 1).first->second;
  }
  std::string_view measure(const store::Store::Version& v) {
    auto k = static_cast<std::size_t>(v.measure_key);
    if (k >= measure_names.size()) measure_names.resize(k + 1);
    if (measure_names[k].empty()) measure_names[k] = text.keep(v.measure);
    return measure_names[k];
  }
  bool in_window(const calendar::Period& p) const {
    return (!window.first || *window.first <= p) && (!window.last || p <= *window.last);
  }
  // One ordered pass over the versions `filter` selects (one per subject of Options::subjects).
  void scan(const store::Store& store, store::Store::VersionFilter filter, bool of_history);
  void sort(bool of_history);
};

namespace {

// Follows the ordered stream of versions, one key at a time.
class Follower {
 public:
  Follower(View::Impl& view, bool history)
      : v_(view), history_(history), out_(history ? view.history : view.values) {}

  void take(const store::Store::Version& s) {
    if (s.upload_id != upload_) {  // versions of one upload usually come together
      auto up = v_.uploads.find(s.upload_id);
      upload_ = s.upload_id;
      upload_known_ = up != v_.uploads.end() && up->second.received_on <= v_.window.known_on;
      if (upload_known_) upload_received_ = up->second.received_on;
    }
    if (!upload_known_) return;
    const auto received = upload_received_;
    bool new_initiative = s.initiative_key != initiative_;
    bool new_period = new_initiative || s.period != period_text_;
    if (new_period || s.measure_key != measure_) {
      settle();
      if (new_period) receipt();
      if (new_initiative) start_initiative(s);
      if (new_period) {
        period_text_.assign(s.period);
        period_ = calendar::parse_period(s.period);
      }
      measure_ = s.measure_key;
    }
    if (!period_) return;  // a period id this jvap cannot read: not a reporting period
    if (history_ && v_.in_window(*period_)) return;  // read by the window's pass
    if (!pending_ || received < key_first_) key_first_ = received;
    if (!pending_ || supersedes(received, s.upload_id, best_received_, best_upload_)) {
      best_received_ = received;
      best_upload_ = s.upload_id;
      keep_best(s);  // the stream's views live until the next row
      pending_ = true;
    }
    if (!history_ && (!first_ || supersedes(first_->on, first_->upload_id, received, s.upload_id)))
      first_ = Receipt{received, s.upload_id};
  }

  void finish() {
    settle();
    receipt();
    close_group();
  }

 private:
  void start_initiative(const store::Store::Version& s) {
    close_group();
    initiative_ = s.initiative_key;
    group_ = v_.group(s.initiative);
    range().begin = out_.size();
    if (!history_) v_.groups[group_].receipts.begin = v_.receipts.size();
  }
  void close_group() {
    if (group_ == kNone) return;
    range().end = out_.size();
    if (!history_) v_.groups[group_].receipts.end = v_.receipts.size();
  }
  Range& range() { return history_ ? v_.groups[group_].history : v_.groups[group_].window; }
  // The best version so far, its text kept in the view (a superseded version's text is left
  // behind: a key rarely has more than one known version).
  void keep_best(const store::Store::Version& s) {
    best_.period = *period_;
    best_.measure = v_.measure(s);
    best_.value = v_.text.keep(s.value);
    best_.comment = v_.options.comments ? v_.text.keep(s.comment) : std::string_view();
    best_.num = s.num;
    best_.source = {s.upload_id, s.line, best_received_};
  }
  void settle() {  // the key just finished
    if (!pending_) return;
    pending_ = false;
    best_.first_received = key_first_;
    out_.push_back(best_);
  }
  void receipt() {  // the initiative's period just finished
    if (first_ && period_) v_.receipts.emplace_back(*period_, *first_);
    first_.reset();
  }

  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  View::Impl& v_;
  bool history_;
  std::vector<Value>& out_;
  std::size_t group_ = kNone;
  std::int64_t initiative_ = -1, measure_ = -1;
  std::string period_text_;
  std::optional<calendar::Period> period_;
  calendar::Date best_received_;
  std::int64_t best_upload_ = 0;
  Value best_;
  calendar::Date key_first_;  // the key's earliest known receipt
  bool pending_ = false;
  std::int64_t upload_ = -1;  // the last upload looked up, and whether it is known
  bool upload_known_ = false;
  calendar::Date upload_received_;
  std::optional<Receipt> first_;
};

bool by_period_measure(const Value& a, const Value& b) {
  return std::tie(a.period, a.measure) < std::tie(b.period, b.measure);
}

}  // namespace

void View::Impl::scan(const store::Store& store, store::Store::VersionFilter filter, bool of_history) {
  auto one = [&] {
    Follower follow(*this, of_history);
    store.scan_versions(filter, [&](const store::Store::Version& v) { follow.take(v); });
    follow.finish();
  };
  if (options.subjects.empty()) one();
  for (const auto& s : options.subjects) {  // each subject with its own index lookup
    filter.initiative = s;
    one();
  }
  sort(of_history);
}

void View::Impl::sort(bool of_history) {
  auto& list = of_history ? history : values;
  for (auto& g : groups) {
    const Range& r = of_history ? g.history : g.window;
    std::sort(list.begin() + static_cast<std::ptrdiff_t>(r.begin),
              list.begin() + static_cast<std::ptrdiff_t>(r.end), by_period_measure);
  }
}

View::View(const store::Store& store, const Window& window, const Options& options)
    : impl_(std::make_unique<Impl>()) {
  auto& im = *impl_;
  im.window = window;
  im.options = options;
  auto& subjects = im.options.subjects;
  std::sort(subjects.begin(), subjects.end());
  subjects.erase(std::unique(subjects.begin(), subjects.end()), subjects.end());
  for (auto& u : store.uploads())
    // A returned submission counts nowhere (until resubmitted and verified, as a new upload).
    if (u.outcome == store::Outcome::accepted && u.review != "returned") im.uploads.emplace(u.id, std::move(u));
  store::Store::VersionFilter f;
  if (window.first) f.first_period = calendar::to_string(*window.first);
  if (window.last) f.last_period = calendar::to_string(*window.last);
  f.initiative = options.initiative;
  f.measures = options.measures;
  f.comments = options.comments;
  im.scan(store, f, false);
  if (!options.history.empty()) read_history(store, options.history);
}

void View::read_history(const store::Store& store, const std::vector<std::string>& measures) {
  auto& im = *impl_;
  if (im.history_read) {
    if (measures != im.history_measures)
      throw std::logic_error("the view's history was read for other measures");
    return;
  }
  im.history_read = true;
  im.history_measures = measures;
  if (!im.window.first && !im.window.last) return;  // every period was read
  store::Store::VersionFilter h;
  h.initiative = im.options.initiative;
  h.measures = measures;
  h.comments = im.options.comments;
  im.scan(store, h, true);
}

View::~View() = default;
View::View(View&&) noexcept = default;
View& View::operator=(View&&) noexcept = default;

const Window& View::window() const { return impl_->window; }

std::vector<std::string_view> View::initiatives() const {
  std::vector<std::string_view> out;
  for (std::size_t i = 0; i < impl_->groups.size(); ++i) {
    const auto& g = impl_->groups[i];
    if (g.window.end > g.window.begin || g.history.end > g.history.begin) out.push_back(impl_->codes[i]);
  }
  std::sort(out.begin(), out.end());
  return out;
}

Records View::of(std::string_view initiative) const {
  Records r;
  r.receipts_known_ = impl_->options.measures.empty();
  auto it = impl_->group_of.find(initiative);
  if (it == impl_->group_of.end()) return r;
  const auto& g = impl_->groups[it->second];
  auto span = [](const auto& v, const Range& range) {
    return std::span(v.data() + range.begin, range.end - range.begin);
  };
  r.window_ = span(impl_->values, g.window);
  r.history_ = span(impl_->history, g.history);
  r.receipts_ = span(impl_->receipts, g.receipts);
  return r;
}

const store::UploadInfo* View::upload(std::int64_t id) const {
  auto it = impl_->uploads.find(id);
  return it == impl_->uploads.end() ? nullptr : &it->second;
}

// ---- Records ----

namespace {

const Value* find_in(std::span<const Value> list, const calendar::Period& p, std::string_view measure) {
  auto it = std::lower_bound(list.begin(), list.end(), std::tie(p, measure), [](const Value& v, const auto& key) {
    return std::tie(v.period, v.measure) < key;
  });
  if (it == list.end() || it->period != p || it->measure != measure) return nullptr;
  return &*it;
}

}  // namespace

const Value* Records::value(const calendar::Period& p, std::string_view measure) const {
  if (const auto* v = find_in(window_, p, measure)) return v;
  return find_in(history_, p, measure);
}

std::optional<Receipt> Records::first_receipt(const calendar::Period& p) const {
  if (!receipts_known_)
    throw std::logic_error("first receipts need every measure: build the view without a measure filter");
  for (const auto& [period, r] : receipts_)
    if (period == p) return r;
  return std::nullopt;
}

std::optional<Disbursed> Records::disbursed_to_date(const calendar::Period& p) const {
  std::optional<Disbursed> out;
  for (auto list : {history_, window_})  // the later period wins, wherever it was read
    for (const auto& v : list) {
      if (v.period > p) break;
      if (v.measure == "disbursed" && v.num && (!out || out->period < v.period))
        out = Disbursed{std::llround(*v.num), v.period, v.source};
    }
  return out;
}

std::optional<Achieved> Records::achieved(std::string_view milestone) const {
  std::optional<Achieved> out;
  for (auto list : {window_, history_})
    for (const auto& v : list) {
      if (v.measure.size() != milestone.size() + 10 || v.measure.compare(0, 10, "milestone.") != 0 ||
          v.measure.substr(10) != milestone)
        continue;
      auto on = calendar::parse_date(v.value);
      if (on && (!out || *on < out->on)) out = Achieved{*on, v.source};
    }
  return out;
}

}  // namespace jvap::evaluation
