// The plan snapshot encoding: varints, length-prefixed strings and raw doubles, written and read
// by one description of each model type (`io`), so a field cannot be written without being read.
// Source locations are not cached: they only serve plan validation, which a cached plan has
// passed, and leaving them out keeps the decoded plan small and quick to build.
#include "store/plan_codec.hpp"

#include <cstring>
#include <new>
#include <stdexcept>
#include <type_traits>

namespace jvap::store::detail {

namespace {

constexpr std::string_view kMagic = "JVAPPLAN8";

// A decoded value outside the ranges the plan loader allows: a damaged cache, rebuilt from YAML.
struct Implausible : std::out_of_range {
  Implausible() : std::out_of_range("plan snapshot: implausible value") {}
};

bool year_ok(int y) { return y >= 1900 && y <= 2200; }

// How many values an enum has.
template <typename E>
std::size_t enum_count() {
  if constexpr (model::Named<E>) {
    return model::names<E>().size();
  } else {
    static_assert(std::is_same_v<E, calendar::Frequency>);
    return 4;
  }
}

class Writer {
 public:
  static constexpr bool kReading = false;

  void u(std::uint64_t v) {
    while (v >= 0x80) {
      out_ += static_cast<char>((v & 0x7f) | 0x80);
      v >>= 7;
    }
    out_ += static_cast<char>(v);
  }
  void i(std::int64_t v) { u((static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63)); }

  void operator()(const std::string& v) {
    u(v.size());
    out_.append(v);
  }
  void operator()(bool v) { u(v ? 1 : 0); }
  void operator()(int v) { i(v); }
  void operator()(std::int64_t v) { i(v); }
  void operator()(double v) {
    char buf[sizeof v];
    std::memcpy(buf, &v, sizeof v);
    out_.append(buf, sizeof v);
  }
  void operator()(const calendar::Date& v) { i(v.time_since_epoch().count()); }
  void operator()(const calendar::Period& p) {
    u(static_cast<unsigned>(p.frequency));
    i(p.year);
    u(static_cast<std::uint64_t>(p.index));
  }
  template <typename E>
    requires std::is_enum_v<E>
  void operator()(const E& v) {
    u(static_cast<unsigned>(v));
  }
  template <typename T>
  void operator()(const std::optional<T>& v) {
    (*this)(v.has_value());
    if (v) (*this)(*v);
  }
  template <typename T>
  void operator()(const std::vector<T>& v) {
    u(v.size());
    for (const auto& x : v) (*this)(x);
  }
  template <typename T>
    requires std::is_class_v<T>
  void operator()(const T& v) {
    io(*this, const_cast<T&>(v));
  }
  std::string& out() { return out_; }

 private:
  std::string out_;
};

class Reader {
 public:
  static constexpr bool kReading = true;
  explicit Reader(std::string_view in) : in_(in) {}

  std::uint64_t u() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= in_.size()) throw std::out_of_range("plan snapshot truncated");
      auto c = static_cast<unsigned char>(in_[pos_++]);
      v |= static_cast<std::uint64_t>(c & 0x7f) << shift;
      if (!(c & 0x80)) return v;
    }
    throw std::out_of_range("plan snapshot: bad varint");
  }
  std::int64_t i() {
    auto v = u();
    return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
  }
  // An element count: never more than the bytes left, so corrupt data cannot ask for huge memory.
  std::size_t count() {
    auto n = u();
    if (n > in_.size() - pos_) throw std::out_of_range("plan snapshot: bad count");
    return static_cast<std::size_t>(n);
  }

  void operator()(std::string& v) {
    auto n = u();
    if (n > in_.size() - pos_) throw std::out_of_range("plan snapshot truncated");
    v.assign(in_.substr(pos_, n));
    pos_ += n;
  }
  void operator()(bool& v) { v = u() != 0; }
  void operator()(int& v) { v = static_cast<int>(i()); }
  void operator()(std::int64_t& v) { v = i(); }
  void operator()(double& v) {
    if (sizeof v > in_.size() - pos_) throw std::out_of_range("plan snapshot truncated");
    std::memcpy(&v, in_.data() + pos_, sizeof v);
    pos_ += sizeof v;
  }
  void operator()(calendar::Date& v) {
    v = calendar::Date{date::days{i()}};
    if (!year_ok(static_cast<int>(date::year_month_day{v}.year()))) throw Implausible();
  }
  void operator()(calendar::Period& p) {
    auto f = u();
    if (f > 3) throw Implausible();
    p.frequency = static_cast<calendar::Frequency>(f);
    p.year = static_cast<int>(i());
    p.index = static_cast<int>(u());
    if (!year_ok(p.year) || !calendar::parse_period(calendar::to_string(p))) throw Implausible();
  }
  template <typename E>
    requires std::is_enum_v<E>
  void operator()(E& v) {
    auto n = u();
    if (n >= enum_count<E>()) throw Implausible();
    v = static_cast<E>(n);
  }
  template <typename T>
  void operator()(std::optional<T>& v) {
    bool has = false;
    (*this)(has);
    if (!has) {
      v.reset();
      return;
    }
    v.emplace();
    (*this)(*v);
  }
  template <typename T>
  void operator()(std::vector<T>& v) {
    v.resize(count());
    for (auto& x : v) (*this)(x);
  }
  template <typename T>
    requires std::is_class_v<T>
  void operator()(T& v) {
    io(*this, v);
  }
  bool done() const { return pos_ == in_.size(); }

 private:
  std::string_view in_;
  std::size_t pos_ = 0;
};

// One description per model type, in encoding order: every field but the source location.
template <typename A>
void io(A& a, model::Provenance& x) {
  a(x.confirmed), a(x.source);
}
template <typename A>
void io(A& a, model::Priority& x) {
  a(x.id), a(x.domain), a(x.title), a(x.official), a(x.provenance);
}
template <typename A>
void io(A& a, model::Domain& x) {
  a(x.id), a(x.title), a(x.priorities);
}
template <typename A>
void io(A& a, model::Member& x) {
  a(x.state), a(x.role), a(x.region), a(x.joined), a(x.left), a(x.provenance);
}
template <typename A>
void io(A& a, model::Chair& x) {
  a(x.state), a(x.from), a(x.to), a(x.provenance);
}
template <typename A>
void io(A& a, model::SteeringCommittee& x) {
  a(x.as_of), a(x.members), a(x.note);
}
template <typename A>
void io(A& a, model::Process& x) {
  a(x.id), a(x.name), a(x.founded), a(x.source), a(x.members), a(x.chairs), a(x.steering);
  a(x.secretariat), a(x.domains), a(x.provenance);
}
template <typename A>
void io(A& a, model::Organisation& x) {
  a(x.id), a(x.name), a(x.group);
}
template <typename A>
void io(A& a, model::IndicatorDef& x) {
  a(x.id), a(x.title), a(x.unit), a(x.aggregation);
}
template <typename A>
void io(A& a, model::Target& x) {
  a(x.period), a(x.value);
}
template <typename A>
void io(A& a, model::Indicator& x) {
  a(x.id), a(x.ref), a(x.title), a(x.unit), a(x.aggregation), a(x.baseline), a(x.targets);
}
template <typename A>
void io(A& a, model::Milestone& x) {
  a(x.id), a(x.title), a(x.due);
}
template <typename A>
void io(A& a, model::Money& x) {
  a(x.amount), a(x.currency);
}
template <typename A>
void io(A& a, model::Funder& x) {
  a(x.org), a(x.amount);
}
template <typename A>
void io(A& a, model::Initiative& x) {
  a(x.id), a(x.title), a(x.kind), a(x.domains), a(x.priorities), a(x.processes), a(x.countries);
  a(x.implementers), a(x.funders), a(x.budget), a(x.start), a(x.end), a(x.reporting);
  a(x.indicators), a(x.milestones), a(x.monitoring_from), a(x.commitments);
  if (A::kReading && x.end < x.start) throw Implausible();
}
template <typename A>
void io(A& a, model::Commitment& x) {
  a(x.id), a(x.title), a(x.kind), a(x.document), a(x.declared_on), a(x.made_by), a(x.domains);
  a(x.priorities), a(x.due), a(x.outputs), a(x.reporting), a(x.initiatives), a(x.provenance);
}
template <typename A>
void io(A& a, model::Activity& x) {
  a(x.id), a(x.title), a(x.kind), a(x.from), a(x.to), a(x.host), a(x.lead), a(x.commitments);
  a(x.domains), a(x.outputs);
  if (A::kReading && x.to < x.from) throw Implausible();
}
template <typename A>
void io(A& a, model::WorkPlan& x) {
  a(x.id), a(x.process), a(x.title), a(x.chair), a(x.framework), a(x.from), a(x.to);
  a(x.reporting), a(x.activities), a(x.provenance);
}
template <typename A>
void io(A& a, model::PlanInfo& x) {
  a(x.id), a(x.title), a(x.adopted), a(x.source);
}
template <typename A>
void io(A& a, calendar::Calendar& x) {
  a(x.frequency), a(x.first), a(x.grace_days), a(x.monitoring_from);
  if (A::kReading && (x.grace_days < 0 || x.grace_days > 366)) throw Implausible();
}
template <typename A>
void io(A& a, model::Plan& x) {
  a(x.info), a(x.calendar), a(x.domains), a(x.processes), a(x.organisations), a(x.indicators);
  a(x.initiatives), a(x.commitments), a(x.work_plans), a(x.files), a(x.content_hash);
  if (A::kReading && x.content_hash.size() != 64) throw Implausible();
}

}  // namespace

std::string encode_plan(const model::Plan& p) {
  Writer w;
  w.out().append(kMagic);
  w(p);
  return std::move(w.out());
}

std::optional<model::Plan> decode_plan(std::string_view bytes) {
  if (bytes.substr(0, kMagic.size()) != kMagic) return std::nullopt;
  try {
    Reader r(bytes.substr(kMagic.size()));
    model::Plan p;
    r(p);
    if (!r.done()) return std::nullopt;
    return p;
  } catch (const std::out_of_range&) {
    return std::nullopt;
  } catch (const std::bad_alloc&) {
    return std::nullopt;
  }
}

}  // namespace jvap::store::detail
