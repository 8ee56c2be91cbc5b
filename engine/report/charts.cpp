// SVG charts drawn from report tables: grouped bars, stacked bars, a heat map and trend lines.
// Plain inline SVG (no script, no external font), with a <title> and a <desc> that states the
// figures, so screen readers and printouts carry the same information.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "report/escape.hpp"
#include "report/report.hpp"

namespace jvap::report {

namespace {

// Okabe-Ito: distinguishable with the common colour-vision deficiencies, and in greyscale print.
const char* kPalette[] = {"#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#999999"};

using detail::html;

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

double value(const Cell& c) {
  if (std::holds_alternative<std::int64_t>(c)) return static_cast<double>(std::get<std::int64_t>(c));
  if (std::holds_alternative<double>(c)) return std::get<double>(c);
  return 0;
}

struct Data {
  std::vector<std::string> categories;
  std::vector<std::string> labels;  // of the series
  std::vector<Type> types;
  std::vector<std::vector<double>> values;  // [series][category]
  std::vector<std::vector<std::string>> shown;  // formatted, [series][category]
};

Data extract(const Chart& ch, const Table& t) {
  Data d;
  int cat = t.column(ch.category);
  std::vector<int> cols;
  for (const auto& s : ch.series) {
    int i = t.column(s);
    if (i < 0) continue;
    cols.push_back(i);
    d.labels.push_back(t.columns[i].label);
    d.types.push_back(t.columns[i].type);
  }
  d.values.assign(cols.size(), {});
  d.shown.assign(cols.size(), {});
  int filter = ch.filter_column.empty() ? -1 : t.column(ch.filter_column);
  for (const auto& row : t.rows) {
    if (filter >= 0 && format_cell(row[filter], Type::text) != ch.filter_value) continue;
    d.categories.push_back(cat < 0 ? "" : format_cell(row[cat], Type::text));
    for (std::size_t k = 0; k < cols.size(); ++k) {
      d.values[k].push_back(value(row[cols[k]]));
      d.shown[k].push_back(format_cell(row[cols[k]], t.columns[cols[k]].type));
    }
  }
  return d;
}

// A round upper bound for the axis: 1, 2 or 5 times a power of ten.
double nice_max(double v) {
  if (v <= 0) return 1;
  double p = std::pow(10.0, std::floor(std::log10(v)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * p >= v) return m * p;
  return 10 * p;
}

std::string open_svg(const Chart& ch, const Table& t, int width, int height) {
  std::string id = "c-" + ch.id;
  std::replace(id.begin(), id.end(), '.', '-');
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" viewBox=\"0 0 " +
         std::to_string(width) + " " + std::to_string(height) + "\" width=\"" + std::to_string(width) +
         "\" height=\"" + std::to_string(height) + "\" aria-labelledby=\"" + id + "-t " + id +
         "-d\">\n<title id=\"" + id + "-t\">" + html(ch.title) + "</title>\n<desc id=\"" + id + "-d\">" +
         html(chart_description(ch, t)) + "</desc>\n";
}

std::string legend(const Data& d, int x, int y) {
  std::string out;
  int lx = x;
  for (std::size_t k = 0; k < d.labels.size(); ++k) {
    if (k) lx += 30 + 7 * static_cast<int>(d.labels[k - 1].size());
    out += "<rect x=\"" + std::to_string(lx) + "\" y=\"" + std::to_string(y - 9) +
           "\" width=\"10\" height=\"10\" fill=\"" + kPalette[k % 8] + "\"/><text x=\"" +
           std::to_string(lx + 14) + "\" y=\"" + std::to_string(y) + "\" class=\"legend\">" +
           html(d.labels[k]) + "</text>\n";
  }
  return out;
}

std::string axis(double top, int x0, int y0, int width, int height) {
  std::string out;
  for (int i = 0; i <= 4; ++i) {
    double v = top * i / 4;
    int y = y0 + height - height * i / 4;
    out += "<line x1=\"" + std::to_string(x0) + "\" x2=\"" + std::to_string(x0 + width) + "\" y1=\"" +
           std::to_string(y) + "\" y2=\"" + std::to_string(y) + "\" class=\"grid\"/>";
    out += "<text x=\"" + std::to_string(x0 - 6) + "\" y=\"" + std::to_string(y + 4) +
           "\" class=\"tick\" text-anchor=\"end\">" + html(format_cell(v, Type::number)) + "</text>\n";
  }
  return out;
}

std::string bars(const Chart& ch, const Table& t, const Data& d) {
  const int width = 680, left = 90, top = 30, plot_h = 200, bottom = 40;
  const int plot_w = width - left - 20;
  std::string out = open_svg(ch, t, width, top + plot_h + bottom);
  out += legend(d, left, 16);
  double mx = 0;
  for (const auto& s : d.values)
    for (double v : s) mx = std::max(mx, v);
  double axis_top = nice_max(mx);
  out += axis(axis_top, left, top, plot_w, plot_h);
  const std::size_t n = std::max<std::size_t>(1, d.categories.size());
  double group = static_cast<double>(plot_w) / static_cast<double>(n);
  double bar = std::min(40.0, group * 0.8 / static_cast<double>(std::max<std::size_t>(1, d.values.size())));
  for (std::size_t c = 0; c < d.categories.size(); ++c) {
    double gx = left + group * static_cast<double>(c) + (group - bar * static_cast<double>(d.values.size())) / 2;
    for (std::size_t k = 0; k < d.values.size(); ++k) {
      double h = plot_h * d.values[k][c] / axis_top;
      out += "<rect x=\"" + num(gx + bar * static_cast<double>(k)) + "\" y=\"" + num(top + plot_h - h) +
             "\" width=\"" + num(bar - 1) + "\" height=\"" + num(h) + "\" fill=\"" + kPalette[k % 8] +
             "\"><title>" + html(d.categories[c] + ", " + d.labels[k] + ": " + d.shown[k][c]) +
             "</title></rect>";
    }
    out += "<text x=\"" + num(left + group * (static_cast<double>(c) + 0.5)) + "\" y=\"" +
           std::to_string(top + plot_h + 16) + "\" class=\"tick\" text-anchor=\"middle\">" +
           html(d.categories[c]) + "</text>\n";
  }
  return out + "</svg>";
}

std::string stacked(const Chart& ch, const Table& t, const Data& d) {
  const int width = 680, left = 60, top = 30, row_h = 26;
  const int plot_w = width - left - 60;
  const int height = top + row_h * static_cast<int>(d.categories.size()) + 10;
  std::string out = open_svg(ch, t, width, height);
  out += legend(d, left, 16);
  double mx = 0;
  for (std::size_t c = 0; c < d.categories.size(); ++c) {
    double sum = 0;
    for (const auto& s : d.values) sum += s[c];
    mx = std::max(mx, sum);
  }
  if (mx <= 0) mx = 1;
  for (std::size_t c = 0; c < d.categories.size(); ++c) {
    int y = top + row_h * static_cast<int>(c);
    out += "<text x=\"" + std::to_string(left - 6) + "\" y=\"" + std::to_string(y + 15) +
           "\" class=\"tick\" text-anchor=\"end\">" + html(d.categories[c]) + "</text>";
    double x = left, sum = 0;
    for (std::size_t k = 0; k < d.values.size(); ++k) {
      double w = plot_w * d.values[k][c] / mx;
      sum += d.values[k][c];
      if (w > 0)
        out += "<rect x=\"" + num(x) + "\" y=\"" + std::to_string(y + 3) + "\" width=\"" + num(w) +
               "\" height=\"" + std::to_string(row_h - 8) + "\" fill=\"" + kPalette[k % 8] + "\"><title>" +
               html(d.categories[c] + ", " + d.labels[k] + ": " + d.shown[k][c]) + "</title></rect>";
      x += w;
    }
    out += "<text x=\"" + num(x + 6) + "\" y=\"" + std::to_string(y + 15) + "\" class=\"tick\">" +
           html(format_cell(sum, Type::number)) + "</text>\n";
  }
  return out + "</svg>";
}

std::string heatmap(const Chart& ch, const Table& t, const Data& d) {
  const int left = 50, top = 24, cell_w = 56, cell_h = 16;
  const int width = left + cell_w * static_cast<int>(d.labels.size()) + 10;
  const int height = top + cell_h * static_cast<int>(d.categories.size()) + 6;
  std::string out = open_svg(ch, t, width, height);
  double mx = 0;
  for (const auto& s : d.values)
    for (double v : s) mx = std::max(mx, v);
  for (std::size_t k = 0; k < d.labels.size(); ++k)
    out += "<text x=\"" + std::to_string(left + cell_w * static_cast<int>(k) + cell_w / 2) + "\" y=\"" +
           std::to_string(top - 8) + "\" class=\"tick\" text-anchor=\"middle\">" + html(d.labels[k]) + "</text>";
  out += "\n";
  for (std::size_t c = 0; c < d.categories.size(); ++c) {
    int y = top + cell_h * static_cast<int>(c);
    out += "<text x=\"" + std::to_string(left - 6) + "\" y=\"" + std::to_string(y + 12) +
           "\" class=\"tick\" text-anchor=\"end\">" + html(d.categories[c]) + "</text>";
    for (std::size_t k = 0; k < d.labels.size(); ++k) {
      double v = d.values[k][c];
      // Zero is a pale warm colour (a gap); more initiatives, deeper blue.
      std::string fill = "#fbe3d6";
      if (v > 0) {
        double share = mx > 0 ? v / mx : 0;
        int light = static_cast<int>(std::lround(92 - 55 * share));
        fill = "hsl(205,70%," + std::to_string(light) + "%)";
      }
      int x = left + cell_w * static_cast<int>(k);
      out += "<rect x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(y) + "\" width=\"" +
             std::to_string(cell_w - 2) + "\" height=\"" + std::to_string(cell_h - 2) + "\" fill=\"" + fill +
             "\"><title>" + html(d.categories[c] + ", " + d.labels[k] + ": " + d.shown[k][c]) +
             "</title></rect><text x=\"" + std::to_string(x + cell_w / 2 - 1) + "\" y=\"" +
             std::to_string(y + 11) + "\" class=\"cell" + (mx > 0 && v / mx > 0.6 ? " dark" : "") +
             "\" text-anchor=\"middle\">" + html(d.shown[k][c]) + "</text>";
    }
    out += "\n";
  }
  return out + "</svg>";
}

std::string lines(const Chart& ch, const Table& t, const Data& d) {
  const int width = 680, left = 60, top = 30, plot_h = 180, bottom = 36;
  const int plot_w = width - left - 30;
  std::string out = open_svg(ch, t, width, top + plot_h + bottom);
  out += legend(d, left, 16);
  bool percent = std::all_of(d.types.begin(), d.types.end(), [](Type x) { return x == Type::percent; });
  double mx = 0;
  for (const auto& s : d.values)
    for (double v : s) mx = std::max(mx, v);
  double axis_top = percent ? 100 : nice_max(mx);
  out += axis(axis_top, left, top, plot_w, plot_h);
  const std::size_t n = d.categories.size();
  auto px = [&](std::size_t c) {
    return n <= 1 ? left + plot_w / 2.0 : left + plot_w * static_cast<double>(c) / static_cast<double>(n - 1);
  };
  for (std::size_t c = 0; c < n; ++c)
    out += "<text x=\"" + num(px(c)) + "\" y=\"" + std::to_string(top + plot_h + 16) +
           "\" class=\"tick\" text-anchor=\"middle\">" + html(d.categories[c]) + "</text>";
  out += "\n";
  for (std::size_t k = 0; k < d.values.size(); ++k) {
    std::string points;
    for (std::size_t c = 0; c < n; ++c)
      points += (c ? " " : "") + num(px(c)) + "," + num(top + plot_h - plot_h * d.values[k][c] / axis_top);
    out += "<polyline fill=\"none\" stroke=\"" + std::string(kPalette[k % 8]) +
           "\" stroke-width=\"2\" points=\"" + points + "\"/>";
    for (std::size_t c = 0; c < n; ++c)
      out += "<circle cx=\"" + num(px(c)) + "\" cy=\"" + num(top + plot_h - plot_h * d.values[k][c] / axis_top) +
             "\" r=\"3.5\" fill=\"" + kPalette[k % 8] + "\"><title>" +
             html(d.categories[c] + ", " + d.labels[k] + ": " + d.shown[k][c]) + "</title></circle>";
    out += "\n";
  }
  return out + "</svg>";
}

}  // namespace

std::string chart_description(const Chart& ch, const Table& t) {
  Data d = extract(ch, t);
  static const char* kinds[] = {"Bar chart", "Stacked bar chart", "Heat map", "Line chart"};
  std::string out = std::string(kinds[static_cast<int>(ch.kind)]) + ": " + ch.title + ". ";
  const std::size_t shown = std::min<std::size_t>(d.categories.size(), 12);
  for (std::size_t c = 0; c < shown; ++c) {
    out += d.categories[c] + ": ";
    for (std::size_t k = 0; k < d.labels.size(); ++k)
      out += (k ? ", " : "") + d.labels[k] + " " + (d.shown[k][c].empty() ? "none" : d.shown[k][c]);
    out += c + 1 < shown ? "; " : ".";
  }
  if (d.categories.size() > shown)
    out += " " + std::to_string(d.categories.size() - shown) + " more in the table " + t.title + ".";
  return out;
}

std::string chart_svg(const Chart& ch, const Table& t) {
  Data d = extract(ch, t);
  switch (ch.kind) {
    case ChartKind::bars: return bars(ch, t, d);
    case ChartKind::stacked: return stacked(ch, t, d);
    case ChartKind::heatmap: return heatmap(ch, t, d);
    case ChartKind::lines: return lines(ch, t, d);
  }
  return "";
}

}  // namespace jvap::report
